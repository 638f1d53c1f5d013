"""The contract shared by services, web and reports: public views, exported rows, report data and limits."""
