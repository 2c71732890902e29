"""Training the heads: the example bank, fitting, evaluation, versions, the ONNX export."""
