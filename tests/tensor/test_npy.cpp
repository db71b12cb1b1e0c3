// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "spark/common/error.h"
#include "spark/tensor/npy.h"

using namespace spark::tensor;
namespace fs = std::filesystem;

namespace {

// Every test writes its files into a directory of its own under the system temp dir, removed at exit; nothing in
// the source tree is touched.
struct ScratchDir {
    fs::path path = fs::temp_directory_path() / ("spark-test-tensor-" + std::to_string(::getpid()));
    ScratchDir() { fs::create_directories(path); }
    ~ScratchDir() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
};

fs::path scratch_dir() {
    static const ScratchDir dir;
    return dir.path;
}

std::string write_file(const std::string& name, const std::string& bytes) {
    const fs::path path = scratch_dir() / name;
    std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return path.string();
}

// A .npy file built by hand: magic, version, header length in 2 (v1) or 4 bytes, header text, data.
std::string npy_bytes(int major, const std::string& header, const std::string& data, int minor = 0) {
    std::string out = "\x93NUMPY";
    out.push_back(static_cast<char>(major));
    out.push_back(static_cast<char>(minor));
    const std::size_t length_bytes = major == 1 ? 2 : 4;
    for (std::size_t i = 0; i < length_bytes; ++i) out.push_back(static_cast<char>((header.size() >> (8 * i)) & 0xFF));
    return out + header + data;
}

std::string header_for(const std::string& descr, const std::string& shape, bool fortran = false) {
    return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape +
           ", }\n";
}

template <typename T>
void check_round_trip(const Shape& shape, const std::vector<T>& values) {
    const Tensor t = Tensor::from_values(shape, values);
    const std::string path = (scratch_dir() / ("round-trip-" + std::string(to_string(t.dtype())) + ".npy")).string();
    write_npy(path, t);
    const Tensor back = read_npy(path);
    CHECK(back.dtype() == t.dtype());
    CHECK(back.shape() == shape);
    CHECK(back.values<T>() == values);
    // NumPy's alignment rule: the data starts on a 64-byte boundary.
    CHECK((fs::file_size(path) - t.size_bytes()) % 64 == 0);
}

void check_fault(const std::string& name, const std::string& bytes, const std::string& fault) {
    const std::string path = write_file(name, bytes);
    INFO("file " << name);
    CHECK_THROWS_WITH(read_npy(path), Catch::Contains(path) && Catch::Contains(fault));
}

}  // namespace

TEST_CASE("npy files round trip for every dtype", "[npy]") {
    check_round_trip<std::int8_t>({2, 3}, {-128, -1, 0, 1, 3, 127});
    check_round_trip<std::uint8_t>({5}, {0, 7, 8, 200, 255});
    check_round_trip<float>({2, 2}, {-1.5f, 0.0f, 3.25f, 1e-30f});
    check_round_trip<double>({3}, {-1e300, 0.5, 1e-300});
    check_round_trip<std::int32_t>({1, 2}, {-2147483647 - 1, 2147483647});
    check_round_trip<std::uint8_t>({}, {42});     // a 0-d array holds one element
    check_round_trip<std::int8_t>({0, 4}, {});   // and an empty one none
}

TEST_CASE("npy format versions 1.0, 2.0 and 3.0 are read", "[npy]") {
    const std::string data = "\x01\x02\x03";
    for (int major : {1, 2, 3}) {
        const std::string path = write_file("v" + std::to_string(major) + ".npy",
                                            npy_bytes(major, header_for("|u1", "(3,)"), data));
        const Tensor t = read_npy(path);
        CHECK(t.values<std::uint8_t>() == std::vector<std::uint8_t>{1, 2, 3});
    }
    // Double quotes, no trailing comma, another key order and a Python 2 long all parse.
    const std::string path = write_file(
        "variant.npy", npy_bytes(1, "{\"shape\": (1L, 3), \"fortran_order\": False, \"descr\": \"<i1\"}\n", data));
    CHECK(read_npy(path).shape() == Shape{1, 3});
}

TEST_CASE("the header length decides between format 1.0 and 2.0 when writing", "[npy]") {
    // 30000 dimensions of extent 1 make a header longer than 65535 bytes.
    const Tensor t(Shape(30000, 1), DType::uint8);
    const std::vector<std::uint8_t> bytes = serialize_npy(t);
    CHECK(bytes[6] == 2);
    CHECK(parse_npy(bytes.data(), bytes.size(), "long-header").shape().size() == 30000);
    const Tensor small(Shape{3}, DType::uint8);
    CHECK(serialize_npy(small)[6] == 1);
}

TEST_CASE("malformed npy files are errors naming the file and the fault", "[npy]") {
    const std::string ok_header = header_for("<f4", "(2,)");
    const std::string data(8, '\0');
    check_fault("empty.npy", "", "truncated");
    check_fault("bad-magic.npy", "\x93NUMPZ\x01\x00" + std::string(80, ' '), "bad magic");
    check_fault("bad-version.npy", npy_bytes(4, ok_header, data), "unsupported .npy format version 4.0");
    check_fault("bad-minor.npy", npy_bytes(1, ok_header, data, 1), "version 1.1");
    check_fault("short-length.npy", std::string("\x93NUMPY\x02\x00\x10", 9), "truncated inside the header length");
    check_fault("cut-header.npy", npy_bytes(1, ok_header, data).substr(0, 30), "header of 58 bytes declared");
    check_fault("fortran.npy", npy_bytes(1, header_for("<f4", "(2,)", true), data), "Fortran-order");
    check_fault("float16.npy", npy_bytes(1, header_for("<f2", "(2,)"), data), "unsupported dtype '<f2'");
    check_fault("big-endian.npy", npy_bytes(1, header_for(">f4", "(2,)"), data), "big-endian dtype '>f4'");
    check_fault("structured.npy", npy_bytes(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }",
                                            data),
                "header does not parse");
    check_fault("no-shape.npy", npy_bytes(1, "{'descr': '<f4', 'fortran_order': False, }", data),
                "key 'shape' is missing");
    check_fault("extra-key.npy", npy_bytes(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}", data),
                "unknown key 'x'");
    check_fault("twice.npy", npy_bytes(1, "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}",
                                       data),
                "key 'descr' appears twice");
    check_fault("not-a-tuple.npy", npy_bytes(1, header_for("<f4", "(2)"), data), "trailing comma");
    check_fault("negative.npy", npy_bytes(1, header_for("<f4", "(-2,)"), data), "non-negative integer");
    check_fault("unclosed.npy", npy_bytes(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,", data),
                "header does not parse");
    check_fault("trailing.npy", npy_bytes(1, header_for("<f4", "(2,)") + "x", data), "after the closing");
    check_fault("huge-extent.npy", npy_bytes(1, header_for("<f4", "(99999999999999999999,)"), data),
                "extent overflows");
    check_fault("overflow.npy", npy_bytes(1, header_for("<f4", "(4294967296, 4294967296)"), data), "overflows");
    check_fault("overflow-bytes.npy", npy_bytes(1, header_for("<f8", "(4611686018427387904,)"), data), "overflows");
    check_fault("too-much-data.npy", npy_bytes(1, ok_header, data + "x"), "9 data bytes follow the header");
    check_fault("truncated-data.npy", npy_bytes(1, ok_header, data.substr(0, 5)), "needs 8 data bytes but only 5");
    check_fault("huge-shape.npy", npy_bytes(1, header_for("<f4", "(1000000000000,)"), data), "truncated");
    CHECK_THROWS_WITH(read_npy((scratch_dir() / "missing.npy").string()), Catch::Contains("cannot open"));
}

TEST_CASE("typed views check the dtype", "[tensor]") {
    Tensor t(Shape{2}, DType::int8);
    CHECK_THROWS_WITH(t.data<float>(), Catch::Contains("tensor of int8 viewed as float32"));
    CHECK_THROWS_WITH(Tensor::from_values<float>({3}, {1.0f}), Catch::Contains("1 values given for shape (3,)"));
    CHECK(shape_to_string({2, 3}) == "(2, 3)");
    CHECK(shape_to_string({}) == "()");
}
