"""A hand-written RNN cell (the 'classifying names' tutorial style) on synthetic sequences."""
import torch
import torch.nn as nn

all_letters = "abcdefghij"
n_letters = len(all_letters)
categories = ["low", "high"]


def letterToTensor(letter):
    tensor = torch.zeros(1, n_letters)
    tensor[0][all_letters.find(letter)] = 1
    return tensor


def lineToTensor(line):
    tensor = torch.zeros(len(line), 1, n_letters)
    for li, letter in enumerate(line):
        tensor[li][0][all_letters.find(letter)] = 1
    return tensor


class RNN(nn.Module):
    def __init__(self, input_size, hidden_size, output_size):
        super(RNN, self).__init__()
        self.hidden_size = hidden_size
        self.i2h = nn.Linear(input_size + hidden_size, hidden_size)
        self.h2o = nn.Linear(hidden_size, output_size)
        self.softmax = nn.LogSoftmax(dim=1)

    def forward(self, input, hidden):
        combined = torch.cat((input, hidden), 1)
        hidden = torch.tanh(self.i2h(combined))
        output = self.softmax(self.h2o(hidden))
        return output, hidden

    def initHidden(self):
        return torch.zeros(1, self.hidden_size)


torch.manual_seed(0)
print(letterToTensor('c'))
print(lineToTensor('abc').size())
n_hidden = 32
rnn = RNN(n_letters, n_hidden, len(categories))
hidden = torch.zeros(1, n_hidden)
output, next_hidden = rnn(letterToTensor('a'), hidden)
print(output)


def categoryFromOutput(output):
    top_n, top_i = output.topk(1)
    category_i = top_i[0].item()
    return categories[category_i], category_i


print(categoryFromOutput(output))
g = torch.Generator().manual_seed(3)
words = []
for _ in range(120):
    length = int(torch.randint(3, 7, (1,), generator=g))
    cat = int(torch.randint(0, 2, (1,), generator=g))
    idx = torch.randint(0, 5, (length,), generator=g) + 5 * cat
    words.append(("".join(all_letters[i] for i in idx.tolist()), cat))
print(words[:3])

criterion = nn.NLLLoss()
learning_rate = 0.01


def train(category_tensor, line_tensor):
    hidden = rnn.initHidden()
    rnn.zero_grad()
    for i in range(line_tensor.size()[0]):
        output, hidden = rnn(line_tensor[i], hidden)
    loss = criterion(output, category_tensor)
    loss.backward()
    for p in rnn.parameters():
        p.data.add_(p.grad.data, alpha=-learning_rate)
    return output, loss.item()


current_loss = 0
for it, (word, cat) in enumerate(words * 2, 1):
    output, loss = train(torch.tensor([cat], dtype=torch.long), lineToTensor(word))
    current_loss += loss
    if it % 40 == 0:
        guess, _ = categoryFromOutput(output)
        print(f"{it} {current_loss / 40:.4f} {word} / {guess} {'✓' if guess == categories[cat] else '✗'}")
        current_loss = 0

confusion = torch.zeros(2, 2)
with torch.no_grad():
    for word, cat in words:
        hidden = rnn.initHidden()
        line = lineToTensor(word)
        for i in range(line.size(0)):
            output, hidden = rnn(line[i], hidden)
        confusion[cat][categoryFromOutput(output)[1]] += 1
confusion = confusion / confusion.sum(1, keepdim=True)
print(confusion)
