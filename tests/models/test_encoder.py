from __future__ import annotations

import hashlib

import pytest

from narrascope.models.encoder import (
    BASE_SHA256,
    ModelFilesError,
    load_tokenizer,
    ort_session,
    sha256_file,
    verify_base_encoder,
)


def test_verify_rejects_other_bytes(tmp_path):
    (tmp_path / "model.safetensors").write_bytes(b"not the pinned weights")
    with pytest.raises(ModelFilesError, match="sha256"):
        verify_base_encoder(tmp_path)
    good = hashlib.sha256(b"not the pinned weights").hexdigest()
    assert sha256_file(tmp_path / "model.safetensors") == good
    assert verify_base_encoder(tmp_path, expected=good) == tmp_path


def test_installed_base_encoder_is_the_pinned_one():
    pytest.importorskip("safetensors")
    from narrascope.models.encoder import base_encoder_dir

    try:
        directory = base_encoder_dir()
    except ModelFilesError as exc:
        pytest.skip(str(exc))
    assert sha256_file(directory / "model.safetensors") == BASE_SHA256
    assert (directory / "tokenizer.json").is_file()


def test_load_tokenizer_switches_off_truncation_and_padding(tmp_path, tiny_tokenizer):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_str(tiny_tokenizer.to_str())  # a copy: the fixture is shared
    tok.enable_truncation(4)
    tok.enable_padding(length=50)
    tok.save(str(tmp_path / "tokenizer.json"))
    loaded = load_tokenizer(tmp_path)
    assert len(loaded.encode("abcdefghij", add_special_tokens=False).ids) == 10
    with pytest.raises(ModelFilesError):
        load_tokenizer(tmp_path / "missing")


def test_ort_session_uses_the_threads_it_is_given(tmp_path):
    onnx = pytest.importorskip("onnx")
    pytest.importorskip("onnxruntime")
    from onnx import TensorProto, helper

    graph = helper.make_graph([helper.make_node("Identity", ["x"], ["y"])], "g",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])])
    path = tmp_path / "identity.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=9), str(path))
    session = ort_session(path, intra_op_num_threads=2, inter_op_num_threads=1)
    options = session.get_session_options()
    assert options.intra_op_num_threads == 2 and options.inter_op_num_threads == 1
    with pytest.raises(ModelFilesError):
        ort_session(tmp_path / "missing.onnx")
