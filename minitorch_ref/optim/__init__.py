"""torch.optim: optimizers (one file each: class + pure update function) and lr_scheduler."""
