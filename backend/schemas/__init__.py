"""The contract shared by services, web and reports: input and output models and the annotated types they use."""
