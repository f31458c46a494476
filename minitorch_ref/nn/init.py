"""torch.nn.init: in-place initialisers that draw from torch's CPU random streams.
(Filled by the randomness work, issue 3.)"""
