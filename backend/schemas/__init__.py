"""The contract shared by services, web and reports: input and output models, the annotated types they use,
exported rows, report data and limits."""
