"""torch.linalg.inv/inv_ex, det, slogdet, torch.logdet, solve/solve_ex, solve_triangular,
torch.cholesky_solve/cholesky_inverse, cross, vecdot, matrix_power, multi_dot against torch:
values, gradients and grad_fn names over batches (broadcast between operands), vector
right-hand sides, left/right solves, float32/float64, non-contiguous inputs, singular inputs
(torch's LinAlgError naming the pivot and the batch element, the *_ex info, det's zero
gradient), and torch's errors."""
import warnings

import numpy as np
import pytest
import torch

import minitorch_ref as mt
from harness import FLOAT_DTYPES, LIBS, assert_close, check, check_double, check_raises

SQUARE = [(1, 1), (3, 3), (5, 5), (2, 4, 4), (2, 1, 3, 3)]


def well_conditioned(shape, dtype, seed=0):
    """Random matrices shifted by n I: condition numbers of a few units."""
    rng = np.random.default_rng(seed)
    n = shape[-1]
    return (rng.standard_normal(shape) + n * np.eye(n)).astype(dtype)


def spd(shape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    return (x @ np.swapaxes(x, -1, -2) + shape[-1] * np.eye(shape[-1])).astype(dtype)


def rand(shape, dtype, seed=1):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("shape", SQUARE, ids=str)
def test_inv_det_slogdet(shape, dtype):
    a = well_conditioned(shape, dtype)
    for fn in (lambda T, x: T.linalg.inv(x), lambda T, x: T.inverse(x),
               lambda T, x: T.linalg.inv_ex(x), lambda T, x: T.linalg.det(x),
               lambda T, x: T.det(x), lambda T, x: T.linalg.slogdet(x),
               lambda T, x: T.slogdet(x)):
        check(fn, a, grad_fn_name=True)
    check(lambda T, x: T.linalg.inv(x), a, layout="transposed")
    check(lambda T, x: T.linalg.det(x), a, layout="transposed")
    # logdet: NaN for a negative determinant (the sign of these varies by matrix)
    check(lambda T, x: T.logdet(x), a, grad_fn_name=True)
    check(lambda T, x: T.logdet(x), spd(shape, dtype))


def test_empty_matrices():
    a = np.zeros((2, 0, 0))
    for fn in (lambda T, x: T.linalg.inv(x), lambda T, x: T.linalg.det(x),
               lambda T, x: T.linalg.slogdet(x)):
        check(fn, a)
    check(lambda T, x, b: T.linalg.solve(x, b), np.zeros((0, 0)), np.zeros((0, 2)))


SINGULAR = {
    "rank1": np.array([[1.0, 2.0], [2.0, 4.0]]),
    "zero_col": np.array([[1.0, 0.0, 2.0], [3.0, 0.0, 1.0], [4.0, 0.0, 5.0]]),
    "dup_rows": np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]]),
    "zeros": np.zeros((3, 3)),
}


@pytest.mark.parametrize("name", list(SINGULAR))
def test_singular_inputs(name):
    """inv/solve raise torch's LinAlgError with the index of the zero pivot; the _ex forms
    return it as info; det is 0 with a zero gradient (torch's solve on a zero right-hand
    side); slogdet is (0, -inf)."""
    a = SINGULAR[name]
    check_raises(lambda T, x: T.linalg.inv(x), a)
    check_raises(lambda T, x: T.inverse(x), a)
    check_raises(lambda T, x: T.linalg.inv_ex(x, check_errors=True), a)
    check_raises(lambda T, x: T.linalg.solve(x, T.ones(x.shape[-1], dtype=x.dtype)), a)
    check(lambda T, x: T.linalg.inv_ex(x).info, a)
    check(lambda T, x: T.linalg.solve_ex(x, T.ones(x.shape[-1], dtype=x.dtype)).info, a)
    check(lambda T, x: T.linalg.det(x), a)
    check(lambda T, x: T.linalg.slogdet(x), a, grad=False)
    # a batch: the first singular matrix is named
    batch = np.stack([np.eye(a.shape[0]), a, a])
    check_raises(lambda T, x: T.linalg.inv(x), batch)
    check_raises(lambda T, x: T.linalg.solve(x, T.ones(x.shape[:-1], dtype=x.dtype)), batch)
    check(lambda T, x: T.linalg.inv_ex(x).info, batch)
    check(lambda T, x: T.linalg.det(x), batch)


def test_inv_ex_values_where_nonsingular():
    a = np.stack([well_conditioned((3, 3), np.float64), SINGULAR["dup_rows"]])
    for T in LIBS:
        res = T.linalg.inv_ex(T.tensor(a))
        assert res.info.dtype == T.int32
    ours = mt.linalg.inv_ex(mt.tensor(a))
    theirs = torch.linalg.inv_ex(torch.tensor(a))
    assert_close(ours.inverse[0], theirs.inverse[0])
    assert ours.info.tolist() == theirs.info.tolist() == [0, 3]


SOLVE_SHAPES = [((3, 3), (3,)), ((3, 3), (3, 2)), ((2, 3, 3), (2, 3)), ((2, 3, 3), (3, 4)),
                ((3, 3), (2, 3, 1)), ((2, 1, 4, 4), (3, 4, 2)), ((2, 3, 3), (2, 3, 2)),
                ((1, 1), (1,))]


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("shapes", SOLVE_SHAPES, ids=str)
def test_solve(shapes, dtype):
    """A X = B with B a vector (1-D, or A's shape without its last dim), a matrix, or a batch
    broadcast against A's; the gradients are summed over broadcast dims."""
    a = well_conditioned(shapes[0], dtype)
    b = rand(shapes[1], dtype)
    check(lambda T, x, y: T.linalg.solve(x, y), a, b, grad_fn_name=True)
    check(lambda T, x, y: T.linalg.solve_ex(x, y), a, b, grad_fn_name=True)
    if len(shapes[1]) >= 2 and shapes[1] != shapes[0][:-1]:   # B a matrix (batch)
        check(lambda T, x, y: T.linalg.solve(x, y.mT, left=False), a, b)
        check(lambda T, x, y: T.linalg.solve(x, y), a, b, layout="transposed")


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("upper,left,unit", [(True, True, False), (False, True, False),
                                             (True, False, False), (False, False, True),
                                             (True, True, True)])
@pytest.mark.parametrize("shapes", [((3, 3), (3, 2)), ((2, 4, 4), (4, 1)),
                                    ((4, 4), (2, 4, 3))], ids=str)
def test_solve_triangular(shapes, upper, left, unit, dtype):
    """Only the chosen triangle of A is read (the other holds noise), unitriangular ignores
    its diagonal; dL/dA lies on that triangle."""
    a = well_conditioned(shapes[0], dtype)
    b = rand(shapes[1], dtype)
    if not left:
        b = np.swapaxes(b, -1, -2).copy()
    check(lambda T, x, y: T.linalg.solve_triangular(x, y, upper=upper, left=left,
                                                    unitriangular=unit), a, b,
          grad_fn_name=True)


def test_solve_triangular_with_a_zero_on_the_diagonal():
    """No error (torch's trsm divides by the zero): inf/NaN in the rows that meet it."""
    a = np.array([[2.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 4.0]])
    b = np.array([[1.0], [2.0], [3.0]])
    check(lambda T, x, y: T.linalg.solve_triangular(x, y, upper=True), a, b, grad=False)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("upper", [False, True])
@pytest.mark.parametrize("shapes", [((3, 3), (3, 2)), ((2, 4, 4), (2, 4, 1)),
                                    ((4, 4), (3, 4, 2))], ids=str)
def test_cholesky_solve_and_inverse(shapes, upper, dtype):
    """From a Cholesky factor (a leaf here, so its gradient is torch's full-matrix formula)."""
    factor = np.linalg.cholesky(spd(shapes[0], np.float64))
    if upper:
        factor = np.swapaxes(factor, -1, -2)
    factor = factor.astype(dtype)
    b = rand(shapes[1], dtype)
    check(lambda T, y, c: T.cholesky_solve(y, c, upper), b, factor, grad_fn_name=True)
    check(lambda T, c: T.cholesky_inverse(c, upper), factor, grad_fn_name=True)
    check(lambda T, c: T.cholesky_inverse(c, upper=upper), factor, layout="transposed")


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("shapes,dim", [(((3,), (3,)), -1), (((4, 3), (4, 3)), -1),
                                        (((3, 5), (3, 5)), 0), (((2, 1, 3), (1, 4, 3)), -1),
                                        (((2, 3, 4), (2, 3, 4)), 1)], ids=str)
def test_cross(shapes, dim, dtype):
    a, b = rand(shapes[0], dtype, 1), rand(shapes[1], dtype, 2)
    check(lambda T, x, y: T.linalg.cross(x, y, dim=dim), a, b, grad_fn_name=True)
    check(lambda T, x, y: T.cross(x, y, dim=dim), a, b, grad_fn_name=True)


def test_torch_cross_without_dim_takes_the_first_dim_of_size_3():
    a, b = rand((2, 3, 3), np.float64, 1), rand((2, 3, 3), np.float64, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(lambda T, x, y: T.cross(x, y), a, b)
        check_raises(lambda T: T.cross(T.ones(2, 2), T.ones(2, 2)))


@pytest.mark.parametrize("shapes,dim", [(((4,), (4,)), -1), (((3, 4), (3, 4)), -1),
                                        (((3, 4), (4,)), -1), (((2, 3, 4), (2, 3, 4)), 1)],
                         ids=str)
def test_vecdot(shapes, dim):
    a, b = rand(shapes[0], np.float64, 1), rand(shapes[1], np.float64, 2)
    check(lambda T, x, y: T.linalg.vecdot(x, y, dim=dim), a, b, grad_fn_name=True)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 5, 7, 12, -1, -2, -3])
def test_matrix_power(n, dtype):
    """torch's multiplication order (repeated squaring from the lowest binary digit), so the
    node names and the float32 rounding follow; n = 0 is a recorded copy of the identity."""
    a = (well_conditioned((2, 3, 3), dtype) * 0.3).astype(dtype)
    check(lambda T, x: T.linalg.matrix_power(x, n), a, grad_fn_name=True)
    check(lambda T, x: T.matrix_power(x, n), a[0])


@pytest.mark.parametrize("shapes", [[(3,), (3, 4)], [(2, 3), (3,)], [(3,), (3,)],
                                    [(2, 3), (3, 4), (4, 5)], [(5, 2), (2, 6), (6, 1)],
                                    [(2, 3), (3, 4), (4, 5), (5, 2)],
                                    [(10, 2), (2, 8), (8, 3), (3, 9), (9,)]], ids=str)
def test_multi_dot(shapes):
    """The cheapest parenthesization, as torch chooses it."""
    arrays = [rand(s, np.float64, i) for i, s in enumerate(shapes)]
    check(lambda T, *xs: T.linalg.multi_dot(list(xs)), *arrays, grad_fn_name=True)


ERRORS = [
    lambda T: T.linalg.inv(T.ones(3)),
    lambda T: T.linalg.inv(T.ones(2, 3)),
    lambda T: T.linalg.inv(T.ones(2, 2, dtype=T.int64)),
    lambda T: T.linalg.det(T.ones(2, 3)),
    lambda T: T.det(T.ones(3)),
    lambda T: T.linalg.slogdet(T.ones(2, 2, dtype=T.int64)),
    lambda T: T.logdet(T.ones(2, 3)),
    lambda T: T.linalg.solve(T.eye(2), T.ones(3)),
    lambda T: T.linalg.solve(T.eye(2), T.ones(3, 2)),
    lambda T: T.linalg.solve(T.eye(2), T.ones(2, 3), left=False),
    lambda T: T.linalg.solve(T.ones(2, 3), T.ones(2)),
    lambda T: T.linalg.solve(T.eye(2), T.ones(2, dtype=T.float64)),
    lambda T: T.linalg.solve(T.eye(2, dtype=T.int64), T.ones(2, dtype=T.int64)),
    lambda T: T.linalg.solve(T.eye(2).expand(3, 2, 2), T.ones(2, 2, 1)),
    lambda T: T.linalg.solve_triangular(T.eye(2), T.ones(2), upper=True),
    lambda T: T.linalg.solve_triangular(T.ones(2, 3), T.ones(2, 1), upper=True),
    lambda T: T.linalg.solve_triangular(T.eye(2), T.ones(3, 1), upper=True),
    lambda T: T.cholesky_solve(T.ones(2), T.eye(2)),
    lambda T: T.cholesky_solve(T.ones(2, 1), T.eye(2, dtype=T.float64)),
    lambda T: T.cholesky_inverse(T.ones(3)),
    lambda T: T.linalg.cross(T.ones(2, 2), T.ones(2, 2)),
    lambda T: T.linalg.cross(T.ones(3), T.ones(2, 3)),
    lambda T: T.linalg.vecdot(T.ones(3), T.ones(4)),
    lambda T: T.linalg.matrix_power(T.ones(2, 3), 2),
    lambda T: T.linalg.matrix_power(T.ones(3), 2),
    lambda T: T.linalg.matrix_power(T.ones(2, 2, dtype=T.int64), -1),
    lambda T: T.linalg.multi_dot([T.ones(2, 2)]),
    lambda T: T.linalg.multi_dot([T.ones(2, 2), T.ones(3, 2)]),
    lambda T: T.linalg.multi_dot([T.ones(2, 2, 2), T.ones(2, 2)]),
    lambda T: T.linalg.multi_dot([T.ones(2, 2), T.ones(2, 2, dtype=T.float64)]),
    lambda T: T.linalg.matrix_exp(T.ones(2, 3)),
    lambda T: T.linalg.matrix_exp(T.ones(3)),
    lambda T: T.linalg.matrix_exp(T.ones(2, 2, dtype=T.int64)),
]


@pytest.mark.parametrize("i", range(len(ERRORS)))
def test_errors(i):
    check_raises(ERRORS[i])


def test_linalg_error_is_a_runtime_error():
    assert issubclass(mt.linalg.LinAlgError, RuntimeError)
    with pytest.raises(RuntimeError, match="singular"):
        mt.linalg.inv(mt.zeros(2, 2))


def test_out():
    a = well_conditioned((3, 3), np.float64)
    for name in ("inv", "det"):
        outs = {}
        for T in LIBS:
            o = T.empty(0, dtype=T.float64)
            assert getattr(T.linalg, name)(T.tensor(a), out=o) is o
            outs[T] = o
        assert_close(outs[mt], outs[torch])
    check_raises(lambda T: T.linalg.inv(T.tensor(a), out=T.empty(3, 3, dtype=T.float32)))
    check_raises(lambda T: T.linalg.det(T.tensor(a, requires_grad=True), out=T.empty(())))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("scale", [0.0, 0.05, 1.0, 3.0])
@pytest.mark.parametrize("shape", [(1, 1), (3, 3), (2, 4, 4)], ids=str)
def test_matrix_exp(shape, scale, dtype):
    """Scaling and squaring (Pade 13) against torch's own method (a Taylor variant): float64
    agrees to about 1e-14 of the largest entry. float32: torch's own results are off by up to
    5e-5 (measured against float64: e.g. the gradient at a = 0.3456 in 1x1, where ours is
    exact to rounding), hence the wider float32 tolerance."""
    a = (rand(shape, np.float64) * scale).astype(dtype)
    tol = 10 if np.dtype(dtype) == np.float32 else 1
    check(lambda T, x: T.linalg.matrix_exp(x), a, grad_fn_name=True, scale=tol)
    check(lambda T, x: T.matrix_exp(x), a, layout="transposed", scale=tol)


def test_matrix_exp_identities():
    """exp(0) = I; exp of a skew-symmetric matrix is a rotation; exp(diag(d)) = diag(exp(d))."""
    theta = 0.7
    rot = mt.linalg.matrix_exp(mt.tensor([[0.0, -theta], [theta, 0.0]], dtype=mt.float64))
    np.testing.assert_allclose(rot.numpy(), [[np.cos(theta), -np.sin(theta)],
                                             [np.sin(theta), np.cos(theta)]], rtol=1e-14)
    d = np.array([-3.0, 0.5, 10.0])
    np.testing.assert_allclose(mt.linalg.matrix_exp(mt.tensor(np.diag(d))).numpy(),
                               np.diag(np.exp(d)), rtol=1e-13)
    assert mt.linalg.matrix_exp(mt.zeros(0, 0)).shape == (0, 0)


DTYPE_CASES = {
    "inv": lambda T, x: T.linalg.inv(x), "inv_ex": lambda T, x: T.linalg.inv_ex(x),
    "inverse": lambda T, x: T.inverse(x), "det": lambda T, x: T.linalg.det(x),
    "slogdet": lambda T, x: T.linalg.slogdet(x), "logdet": lambda T, x: T.logdet(x),
    "solve": lambda T, x: T.linalg.solve(x, x), "solve_ex": lambda T, x: T.linalg.solve_ex(x, x),
    "solve_triangular": lambda T, x: T.linalg.solve_triangular(x, x, upper=True),
    "cholesky_solve": lambda T, x: T.cholesky_solve(x, x),
    "cholesky_inverse": lambda T, x: T.cholesky_inverse(x),
    "cholesky": lambda T, x: T.linalg.cholesky(x),
    "cholesky_ex": lambda T, x: T.linalg.cholesky_ex(x),
    "torch.cholesky": lambda T, x: T.cholesky(x), "eigh": lambda T, x: T.linalg.eigh(x),
    "eigvalsh": lambda T, x: T.linalg.eigvalsh(x), "svd": lambda T, x: T.linalg.svd(x),
    "torch.svd": lambda T, x: T.svd(x), "qr": lambda T, x: T.linalg.qr(x),
    "pinv": lambda T, x: T.linalg.pinv(x), "lstsq": lambda T, x: T.linalg.lstsq(x, x),
    "matrix_rank": lambda T, x: T.linalg.matrix_rank(x),
    "matrix_exp": lambda T, x: T.linalg.matrix_exp(x),
    "matrix_power": lambda T, x: T.linalg.matrix_power(x, -1),
}


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.float16])
@pytest.mark.parametrize("name", list(DTYPE_CASES))
def test_dtypes_torch_refuses(name, dtype):
    """Integer and float16 inputs: torch's refusal for each function (its own message, or its
    CPU kernel's NotImplementedError), or its result where it computes them."""
    x = (2 * np.eye(3)).astype(dtype)
    fn = DTYPE_CASES[name]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fn(torch, torch.tensor(x))
    except Exception:  # noqa: BLE001 - torch refuses: so must we, alike
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            check_raises(fn, x)
        return
    ours = fn(mt, mt.tensor(x))
    theirs = fn(torch, torch.tensor(x))
    if name == "matrix_exp" and dtype == np.float16:
        # torch's float16 matrix_exp overflows inside (exp(2 I) comes out inf); ours goes
        # through float32: exp(2) = 7.39 on the diagonal
        assert np.isinf(theirs.numpy()).any()
        np.testing.assert_allclose(ours.numpy(), np.exp(2) * np.eye(3), rtol=1e-3)
        return
    assert_close(ours, theirs, scale=1, check_dtype=True)


DOUBLE_CASES = {
    "inv": (lambda T, x: T.linalg.inv(x), "general"),
    "det": (lambda T, x: T.linalg.det(x), "general"),
    "slogdet": (lambda T, x: T.linalg.slogdet(x).logabsdet, "general"),
    "logdet": (lambda T, x: T.logdet(x), "spd"),
    "solve": (lambda T, x: T.linalg.solve(x, x[..., :2].exp()), "general"),
    "solve_vector": (lambda T, x: T.linalg.solve(x, x[..., 0].sin()), "general"),
    "solve_right": (lambda T, x: T.linalg.solve(x, x[..., :2, :].cos(), left=False), "general"),
    "solve_triangular": (lambda T, x: T.linalg.solve_triangular(x, x[..., :2].exp(),
                                                                upper=True), "general"),
    "solve_triangular_unit": (lambda T, x: T.linalg.solve_triangular(
        x, x[..., :2, :].cos(), upper=False, left=False, unitriangular=True), "general"),
    "cholesky_solve": (lambda T, x: T.cholesky_solve(x[..., :1].exp(),
                                                     T.linalg.cholesky(x)), "spd"),
    "cholesky_inverse": (lambda T, x: T.cholesky_inverse(T.linalg.cholesky(x)), "spd"),
    "cross": (lambda T, x: T.linalg.cross(x, x.flip(-1).sin()), "general"),
    "matrix_exp": (lambda T, x: T.linalg.matrix_exp(x * 0.2), "general"),
    "matrix_power": (lambda T, x: T.linalg.matrix_power(x, -3), "general"),
}


@pytest.mark.parametrize("name", list(DOUBLE_CASES))
def test_double_backward(name):
    """create_graph through each op: inside a backward, NumPy's linalg calls become the
    library's own recorded ops, so the gradient differentiates again (as torch's)."""
    fn, kind = DOUBLE_CASES[name]
    x = (spd if kind == "spd" else well_conditioned)((2, 3, 3), np.float64)
    check_double(fn, x, grad_fn_name=False)


def test_double_backward_of_det_at_a_singular_matrix_is_refused():
    """torch then takes the adjugate through an SVD: not implemented here, and said so."""
    x = mt.tensor(SINGULAR["rank1"], requires_grad=True)
    with pytest.raises(RuntimeError, match="singular"):
        mt.autograd.grad(mt.linalg.det(x), x, create_graph=True)


TENSOR_METHODS = [
    ("det", (), "general"), ("logdet", (), "spd"), ("slogdet", (), "general"),
    ("inverse", (), "general"), ("pinverse", (), "general"), ("cholesky", (), "spd"),
    ("cholesky", (True,), "spd"), ("cholesky_inverse", (), "factor"), ("qr", (), "general"),
    ("matrix_power", (3,), "general"), ("matrix_power", (-2,), "general"),
    ("matrix_exp", (), "small"),
]


@pytest.mark.parametrize("name,args,kind", TENSOR_METHODS,
                         ids=[f"{m}{a}" for m, a, _ in TENSOR_METHODS])
def test_tensor_methods(name, args, kind):
    a = {"general": well_conditioned((2, 3, 3), np.float64),
         "spd": spd((2, 3, 3), np.float64),
         "factor": np.linalg.cholesky(spd((2, 3, 3), np.float64)),
         "small": rand((2, 3, 3), np.float64) * 0.5}[kind]
    check(lambda T, x: getattr(x, name)(*args), a, grad_fn_name=True)


def test_tensor_methods_with_a_second_operand():
    a, b = well_conditioned((3, 3), np.float64), rand((3, 2), np.float64)
    factor = np.linalg.cholesky(spd((3, 3), np.float64))
    check(lambda T, x, c: x.cholesky_solve(c), b, factor, grad_fn_name=True)
    check(lambda T, x, y: x.cross(y, dim=0), a, rand((3, 3), np.float64, 4), grad_fn_name=True)
    check(lambda T, x: x.svd()[1], a, grad_fn_name=True)
