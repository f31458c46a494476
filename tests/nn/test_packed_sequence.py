"""nn.utils.rnn against torch (pad_sequence, pack_padded_sequence, pad_packed_sequence,
pack_sequence, unpack_sequence, unpad_sequence, invert_permutation, PackedSequence) and the
recurrent layers reading packed batches: values, gradients through packing and unpacking,
sorted and unsorted batches, initial states permuted with the batch, errors."""
import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import LIBS, assert_close, check, check_raises, rand
from seq_parity import layer_parity

R = {torch: torch.nn.utils.rnn, mt: mt.nn.utils.rnn}
DTYPES = [np.float32, np.float64]


def rnn(T):
    return R[T]


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("side", ["right", "left"])
def test_pad_sequence(batch_first, side):
    seqs = [rand(3, 2), rand(5, 2, seed=1), rand(1, 2, seed=2)]
    check(lambda T, *s: rnn(T).pad_sequence(list(s), batch_first, -1.5, side), *seqs)
    check(lambda T, *s: rnn(T).pad_sequence(s, batch_first=batch_first), *[x[:, 0] for x in seqs])
    # a sequence broadcast into the first one's trailing shape (torch copies with broadcasting)
    check(lambda T, a, b: rnn(T).pad_sequence([a, b], batch_first), rand(2, 3), rand(4, 1))


def test_pad_sequence_dtypes_and_tensor_argument():
    for T in LIBS:
        ints = [T.ones(2, dtype=T.int64), T.ones(3, dtype=T.int64)]
        out = rnn(T).pad_sequence(ints, padding_value=2.5)
        assert out.dtype == T.int64 and out.tolist() == [[1, 1], [1, 1], [2, 1]]
        mixed = rnn(T).pad_sequence([T.ones(2), T.ones(3, dtype=T.float64)])
        assert mixed.dtype == T.float32
    check(lambda T, x: rnn(T).pad_sequence(x), rand(2, 3))


@pytest.mark.parametrize("args", [
    lambda T: ([],), lambda T: (5,), lambda T: ([T.ones(()), T.ones(())],),
    lambda T: ([T.ones(2), T.ones(3)], False, 0.0, "middle"),
    lambda T: ([T.ones(2), T.ones(3, 1)],),
])
def test_pad_sequence_errors(args):
    check_raises(lambda T: rnn(T).pad_sequence(*args(T)))


LENGTHS = [([4, 3, 1], True), ([4, 1, 3], False), ([2, 4, 4], False), ([3, 3, 3], True),
           ([1], True)]


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("lengths,sort", LENGTHS)
def test_pack_and_pad_round_trip(lengths, sort, batch_first):
    b = len(lengths)
    x = rand(b, 4, 2) if batch_first else rand(4, b, 2)

    def pack(T, x, as_tensor):
        lens = T.tensor(lengths) if as_tensor else lengths
        p = rnn(T).pack_padded_sequence(x, lens, batch_first, enforce_sorted=sort)
        return p.data, p.batch_sizes, p.sorted_indices, p.unsorted_indices

    for as_tensor in (False, True):
        ours, theirs = check(pack, x, as_tensor)
        assert (ours[2] is None) == (theirs[2] is None)

    def round_trip(T, x, total):
        p = rnn(T).pack_padded_sequence(x, lengths, batch_first, enforce_sorted=sort)
        return rnn(T).pad_packed_sequence(p, batch_first, padding_value=-2.0, total_length=total)
    for total in (None, 6):
        check(round_trip, x, total)


def test_packed_sequence_object():
    for T in LIBS:
        p = rnn(T).pack_sequence([T.tensor([1, 2, 3]), T.tensor([4, 5]), T.tensor([6])])
        assert p.data.tolist() == [1, 4, 6, 2, 5, 3] and p.batch_sizes.tolist() == [3, 2, 1]
        assert p.sorted_indices is None and p.unsorted_indices is None
        assert isinstance(p, tuple) and len(p) == 4 and type(p).__name__ == "PackedSequence"
        q = rnn(T).pack_sequence([T.tensor([1.0]), T.tensor([4.0, 5.0])], enforce_sorted=False)
        assert q.sorted_indices.tolist() == [1, 0] and q.unsorted_indices.tolist() == [1, 0]
        assert q.double().data.dtype == T.float64 and q.to(T.float32) is q
        assert not q.is_cuda
        assert [s.tolist() for s in rnn(T).unpack_sequence(q)] == [[1.0], [4.0, 5.0]]
        built = rnn(T).PackedSequence((T.ones(3), T.tensor([2, 1])))
        assert built.batch_sizes.tolist() == [2, 1] and built.unsorted_indices is None
        s = rnn(T).PackedSequence(T.ones(3), T.tensor([2, 1]), T.tensor([1, 0]))
        assert s.unsorted_indices.tolist() == [1, 0]
        assert rnn(T).invert_permutation(T.tensor([2, 0, 1])).tolist() == [1, 2, 0]
        assert rnn(T).invert_permutation(None) is None
        padded = T.tensor([[1.0, 2.0], [3.0, 0.0], [4.0, 5.0]]).t().contiguous()
        assert [u.tolist() for u in rnn(T).unpad_sequence(padded, T.tensor([2, 1, 2]))] == \
            [[1.0, 2.0], [3.0], [4.0, 5.0]]
    reprs = [repr(rnn(T).pack_sequence([T.tensor([1, 2]), T.tensor([3])])) for T in LIBS]
    assert reprs[0] == reprs[1]


@pytest.mark.parametrize("case", [
    (lambda T: T.ones(4, 3, 1), [4, 2, 3], True), (lambda T: T.ones(4, 3, 1), [4, 3, 0], True),
    (lambda T: T.ones(4, 3, 1), [4, 3], True), (lambda T: T.ones(0, 3, 1), [1, 1, 1], True),
    (lambda T: T.ones(4, 3, 1), lambda T: T.tensor([[4, 3, 1]]), True),
    (lambda T: T.ones(4, 3, 1), [], False), (lambda T: T.ones(3, 4), [4, 3, 1], True),
])
def test_pack_padded_sequence_errors(case):
    x, lengths, sort = case
    check_raises(lambda T: rnn(T).pack_padded_sequence(
        x(T), lengths(T) if callable(lengths) else lengths, enforce_sorted=sort))


def test_pad_packed_sequence_total_length_error():
    check_raises(lambda T: rnn(T).pad_packed_sequence(
        rnn(T).pack_sequence([T.ones(4), T.ones(2)]), total_length=3))


def test_pack_padded_refuses_lengths_beyond_the_padding():
    """torch reads past the end of the input here (its result is garbage): we refuse."""
    with pytest.raises(RuntimeError, match="at most the padded sequence length 4"):
        mt.nn.utils.rnn.pack_padded_sequence(mt.ones(4, 3, 1), [5, 3, 1])


# -- recurrent layers on packed batches ------------------------------------------------------------

def packed_call(lengths, sort, batch_first, with_hx, pad_back):
    def call(T, m, x, *hx):
        p = rnn(T).pack_padded_sequence(x, lengths, batch_first, enforce_sorted=sort)
        out, h = m(p, *hx)
        assert isinstance(out, rnn(T).PackedSequence)
        if pad_back:
            return rnn(T).pad_packed_sequence(out, batch_first)[0], h
        return out.data, out.batch_sizes, h
    return call


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("mode", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize("lengths,sort", [([5, 3, 2, 2], True), ([2, 5, 1, 3], False)])
def test_layers_on_packed_sequences(lengths, sort, mode, dtype):
    b = len(lengths)
    for bidir, layers, bf, with_hx in ((False, 1, False, False), (True, 2, True, True)):
        x = rand(b, 5, 3, dtype=dtype) if bf else rand(5, b, 3, dtype=dtype)
        inputs = [x]
        if with_hx:
            h = rand(layers * (1 + bidir), b, 4, dtype=dtype, seed=2)
            inputs.append((h, rand(*h.shape, dtype=dtype, seed=3)) if mode == "LSTM" else h)
        make = lambda T: getattr(T.nn, mode)(3, 4, num_layers=layers, bidirectional=bidir,  # noqa
                                             batch_first=bf)
        for pad_back in (False, True):
            layer_parity(make, *inputs, dtype=dtype,
                         call=packed_call(lengths, sort, bf, with_hx, pad_back))


@pytest.mark.parametrize("mode", ["LSTM", "GRU"])
def test_packed_with_dropout_and_projection(mode):
    kwargs = {"proj_size": 2} if mode == "LSTM" else {}
    layer_parity(lambda T: getattr(T.nn, mode)(3, 4, num_layers=3, bidirectional=True,
                                               dropout=0.3, **kwargs),
                 rand(6, 4, 3, dtype=np.float64), dtype=np.float64, forward_seed=5,
                 call=packed_call([3, 6, 1, 4], False, False, False, False))


def test_packed_equals_running_each_sequence_alone():
    """The definition: each sequence's output and final state are those of the layer run on
    that sequence by itself (no padding)."""
    mt.manual_seed(0)
    m = mt.nn.LSTM(3, 4, bidirectional=True)
    seqs = [mt.tensor(rand(n, 3, seed=n)) for n in (4, 2, 5)]
    out, (h, c) = m(rnn(mt).pack_sequence(seqs, enforce_sorted=False))
    padded, lens = rnn(mt).pad_packed_sequence(out, batch_first=True)
    for b, s in enumerate(seqs):
        alone, (hb, cb) = m(s)
        assert_close(padded[b, :len(s)], alone, "output")
        assert_close(h[:, b], hb, "h_n")
        assert_close(c[:, b], cb, "c_n")
        assert np.all(padded[b, len(s):].detach().numpy() == 0)
