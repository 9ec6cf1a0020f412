"""Conference pages, one module per audience: public, organiser, registrants, check-in."""
