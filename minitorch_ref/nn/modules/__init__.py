"""Every nn.Module subclass, re-exported as ``minitorch_ref.nn.<Name>``.

Each file below adds its classes to this list. Owners: module.py, container.py, linear.py,
activation.py, dropout.py, normalization.py, sparse.py, flatten.py (nn core); conv.py, pooling.py,
upsampling.py, padding.py, fold.py (convolution); loss.py (losses)."""
