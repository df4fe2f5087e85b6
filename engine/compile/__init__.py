"""From a document to numbers: the compiled plan, its generated code, the trace and the gradient check."""
