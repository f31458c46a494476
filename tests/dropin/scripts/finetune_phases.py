"""The transfer-learning tutorial's loop: train/val phases, set_grad_enabled, running
corrects as a tensor, StepLR, best weights by deepcopy; then freezing a backbone and replacing
the head, forward hooks for features, and a no_grad-decorated predict function."""
import copy

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.optim import lr_scheduler
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(21)
device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")
class_names = ["ants", "bees"]
x = torch.randn(120, 3, 8, 8)
y = (x[:, 0].mean(dim=(1, 2)) > x[:, 1].mean(dim=(1, 2))).long()
image_datasets = {"train": TensorDataset(x[:96], y[:96]), "val": TensorDataset(x[96:], y[96:])}
dataloaders = {k: DataLoader(image_datasets[k], batch_size=8, shuffle=(k == "train"))
               for k in ["train", "val"]}
dataset_sizes = {k: len(image_datasets[k]) for k in ["train", "val"]}
print(dataset_sizes)


class Backbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(inplace=True),
            nn.MaxPool2d(2), nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(inplace=True),
            nn.AdaptiveAvgPool2d((1, 1)))
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        return self.fc(torch.flatten(self.features(x), 1))


def train_model(model, criterion, optimizer, scheduler, num_epochs=3):
    best_model_wts = copy.deepcopy(model.state_dict())
    best_acc = 0.0
    for epoch in range(num_epochs):
        print(f'Epoch {epoch}/{num_epochs - 1}')
        print('-' * 10)
        for phase in ['train', 'val']:
            if phase == 'train':
                model.train()
            else:
                model.eval()
            running_loss = 0.0
            running_corrects = 0
            for inputs, labels in dataloaders[phase]:
                inputs = inputs.to(device)
                labels = labels.to(device)
                optimizer.zero_grad()
                with torch.set_grad_enabled(phase == 'train'):
                    outputs = model(inputs)
                    _, preds = torch.max(outputs, 1)
                    loss = criterion(outputs, labels)
                    if phase == 'train':
                        loss.backward()
                        optimizer.step()
                running_loss += loss.item() * inputs.size(0)
                running_corrects += torch.sum(preds == labels.data)
            if phase == 'train':
                scheduler.step()
            epoch_loss = running_loss / dataset_sizes[phase]
            epoch_acc = running_corrects.double() / dataset_sizes[phase]
            print(f'{phase} Loss: {epoch_loss:.4f} Acc: {epoch_acc:.4f}')
            if phase == 'val' and epoch_acc > best_acc:
                best_acc = epoch_acc
                best_model_wts = copy.deepcopy(model.state_dict())
        print()
    print(f'Best val Acc: {best_acc:4f}')
    model.load_state_dict(best_model_wts)
    return model


pretrained = Backbone()
opt = optim.SGD(pretrained.parameters(), lr=0.05, momentum=0.9)
big_y = torch.randint(0, 10, (120,))
for _ in range(5):  # "pretraining" on another task
    opt.zero_grad()
    F.cross_entropy(pretrained(x), big_y).backward()
    opt.step()

model_ft = copy.deepcopy(pretrained)
num_ftrs = model_ft.fc.in_features
model_ft.fc = nn.Linear(num_ftrs, len(class_names))
model_ft = model_ft.to(device)
criterion = nn.CrossEntropyLoss()
optimizer_ft = optim.SGD(model_ft.parameters(), lr=0.01, momentum=0.9)
exp_lr_scheduler = lr_scheduler.StepLR(optimizer_ft, step_size=2, gamma=0.1)
model_ft = train_model(model_ft, criterion, optimizer_ft, exp_lr_scheduler, num_epochs=3)

model_conv = copy.deepcopy(pretrained)
for param in model_conv.parameters():
    param.requires_grad = False
model_conv.fc = nn.Linear(num_ftrs, 2)
print([n for n, p in model_conv.named_parameters() if p.requires_grad])
optimizer_conv = optim.SGD(filter(lambda p: p.requires_grad, model_conv.parameters()), lr=0.01,
                           momentum=0.9)
print(len(optimizer_conv.param_groups[0]["params"]))
model_conv = train_model(model_conv, criterion, optimizer_conv,
                         lr_scheduler.StepLR(optimizer_conv, step_size=7, gamma=0.1), 2)

activation = {}


def get_activation(name):
    def hook(model, input, output):
        activation[name] = output.detach()
    return hook


handle = model_conv.features[4].register_forward_hook(get_activation('conv2'))
model_conv.eval()
_ = model_conv(x[:2])
print(activation['conv2'].shape, activation['conv2'].mean().item())
handle.remove()
children = list(model_conv.children())
print(len(children), [type(c).__name__ for c in children])
trunk = nn.Sequential(*list(model_conv.features.children())[:-1])
print(trunk(x[:1]).shape)
for name, module in model_conv.named_children():
    print(name, sum(p.numel() for p in module.parameters()))


@torch.no_grad()
def predict(model, inputs):
    model.eval()
    probs = F.softmax(model(inputs), dim=1)
    return probs.argmax(dim=1), probs.max(dim=1).values


labels, conf = predict(model_ft, x[96:104])
print([class_names[i] for i in labels], conf, conf.requires_grad)
with torch.inference_mode():
    print(model_ft(x[:1]).requires_grad)
print(F.one_hot(labels, num_classes=2))
