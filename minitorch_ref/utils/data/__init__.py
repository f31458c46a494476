"""torch.utils.data: datasets, samplers, DataLoader, random_split."""
