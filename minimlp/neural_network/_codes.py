"""Registries by name: the estimators pick kernels by these codes; the kernels see only ints."""

IDENTITY, LOGISTIC, TANH, RELU, SOFTMAX, EXP = 0, 1, 2, 3, 4, 5
ACTIVATIONS = {"identity": IDENTITY, "logistic": LOGISTIC, "tanh": TANH, "relu": RELU,
               "softmax": SOFTMAX, "exp": EXP}
SQUARED_ERROR, BINARY_LOG_LOSS, LOG_LOSS, POISSON = 0, 1, 2, 3
LOSSES = {"squared_error": SQUARED_ERROR, "binary_log_loss": BINARY_LOG_LOSS,
          "log_loss": LOG_LOSS, "poisson": POISSON}
