"""minimlp's benchmark suite: kernels and workflows timed beside scikit-learn (see README.md)."""
