"""The queries services run, one module per feature: the only place outside migrations that builds SQL."""
