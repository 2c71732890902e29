"""The local model at run time: embeddings, signals, features, heads, and the classifier
they make."""
