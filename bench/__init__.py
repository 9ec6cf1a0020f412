"""The benchmark suite behind `make bench`: data generator, load, page weights, query growth, work times."""
