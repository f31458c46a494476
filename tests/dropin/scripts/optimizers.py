"""The same small regression trained with each common optimizer; final losses and weights."""
import torch
import torch.nn as nn

torch.manual_seed(4)
X = torch.randn(200, 5)
true_w = torch.tensor([1.0, -2.0, 0.5, 0.0, 3.0])
Y = (X @ true_w + 0.3 * torch.randn(200)).unsqueeze(1)
init = nn.Linear(5, 1).state_dict()

configs = {
    "SGD": lambda p: torch.optim.SGD(p, lr=0.05),
    "SGD momentum": lambda p: torch.optim.SGD(p, lr=0.02, momentum=0.9, dampening=0.1),
    "SGD nesterov wd": lambda p: torch.optim.SGD(p, lr=0.02, momentum=0.9, nesterov=True,
                                                 weight_decay=1e-3),
    "Adam": lambda p: torch.optim.Adam(p, lr=0.05),
    "Adam amsgrad": lambda p: torch.optim.Adam(p, lr=0.05, amsgrad=True, weight_decay=1e-2),
    "AdamW": lambda p: torch.optim.AdamW(p, lr=0.05, betas=(0.8, 0.99)),
    "RMSprop": lambda p: torch.optim.RMSprop(p, lr=0.01, momentum=0.5, centered=True),
    "Adagrad": lambda p: torch.optim.Adagrad(p, lr=0.3, lr_decay=1e-3),
    "Adadelta": lambda p: torch.optim.Adadelta(p, lr=1.0),
    "Adamax": lambda p: torch.optim.Adamax(p, lr=0.05),
    "NAdam": lambda p: torch.optim.NAdam(p, lr=0.05),
    "RAdam": lambda p: torch.optim.RAdam(p, lr=0.05),
}
for name, make in configs.items():
    model = nn.Linear(5, 1)
    model.load_state_dict(init)
    opt = make(model.parameters())
    history = []
    for step in range(60):
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(X), Y)
        loss.backward()
        opt.step()
        history.append(loss.item())
    w = model.weight.detach().squeeze()
    print(f"{name:16s} loss[0]={history[0]:.5f} loss[-1]={history[-1]:.6f} "
          f"w={[round(v, 4) for v in w.tolist()]} b={model.bias.item():.4f}")
    state = opt.state_dict()["state"].get(0, {})
    print("   state keys:", sorted(state.keys()))

model = nn.Linear(5, 1)
opt = torch.optim.LBFGS(model.parameters(), lr=1, max_iter=20)


def closure():
    opt.zero_grad()
    loss = nn.functional.mse_loss(model(X), Y)
    loss.backward()
    return loss


for i in range(3):
    loss = opt.step(closure)
    print("LBFGS", i, f"{loss.item():.6f}")
