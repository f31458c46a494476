"""A small convolutional autoencoder on synthetic 1x28x28 images: Conv2d/ConvTranspose2d,
Sigmoid + BCELoss, Unflatten, Adam, and a reconstruction report."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(8)


def make_images(n):
    yy, xx = torch.meshgrid(torch.arange(28.0), torch.arange(28.0), indexing="ij")
    cx = torch.rand(n, 1, 1) * 16 + 6
    cy = torch.rand(n, 1, 1) * 16 + 6
    r = torch.rand(n, 1, 1) * 4 + 3
    img = ((xx - cx) ** 2 + (yy - cy) ** 2 < r ** 2).float()
    return img.unsqueeze(1)


class AutoEncoder(nn.Module):
    def __init__(self, latent=8):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 8, 3, stride=2, padding=1), nn.ReLU(),   # 14x14
            nn.Conv2d(8, 16, 3, stride=2, padding=1), nn.ReLU(),  # 7x7
            nn.Flatten(), nn.Linear(16 * 7 * 7, latent))
        self.decoder = nn.Sequential(
            nn.Linear(latent, 16 * 7 * 7), nn.ReLU(), nn.Unflatten(1, (16, 7, 7)),
            nn.ConvTranspose2d(16, 8, 3, stride=2, padding=1, output_padding=1), nn.ReLU(),
            nn.ConvTranspose2d(8, 1, 3, stride=2, padding=1, output_padding=1), nn.Sigmoid())

    def forward(self, x):
        return self.decoder(self.encoder(x))


images = make_images(64)
print(images.shape, images.mean().item())
model = AutoEncoder()
print(model)
print(sum(p.numel() for p in model.parameters()))
criterion = nn.BCELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
for epoch in range(6):
    perm = torch.randperm(len(images))
    total = 0.0
    for i in range(0, len(images), 16):
        batch = images[perm[i:i + 16]]
        recon = model(batch)
        loss = criterion(recon, batch)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * batch.size(0)
    print(f"epoch [{epoch + 1}/6], loss:{total / len(images):.4f}")

model.eval()
with torch.no_grad():
    recon = model(images[:4])
    mse = F.mse_loss(recon, images[:4], reduction="none").mean(dim=(1, 2, 3))
    z = model.encoder(images[:4])
print(mse, z.shape, z.norm(dim=1))
print((recon > 0.5).float().eq(images[:4]).float().mean().item())
