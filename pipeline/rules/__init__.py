"""The rule components that run on the spaCy Doc after the Stanza conversion:
known names (gazetteer), people named after their office and state, and, still
beside this package, dates, context and memberships."""
