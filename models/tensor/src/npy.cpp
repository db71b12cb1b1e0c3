// SPDX-License-Identifier: Apache-2.0
#include "spark/tensor/npy.h"

#include <cctype>
#include <cstring>
#include <fstream>
#include <limits>
#include <optional>

#include <fmt/format.h>

#include "spark/common/error.h"
#include "spark/common/file.h"

// Tensor bytes are the host's; .npy data here is little-endian, so the two are copied as they are.
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "spark_tensor assumes a little-endian host"
#endif

namespace spark::tensor {

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicSize = 6;

struct Header {
    std::optional<std::string> descr;
    std::optional<bool> fortran_order;
    std::optional<Shape> shape;
};

// A parser for the one Python literal NumPy writes: {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
class HeaderParser {
public:
    HeaderParser(std::string_view text, std::string_view source) : m_text(text), m_source(source) {}

    Header parse() {
        Header header;
        skip_space();
        expect('{');
        skip_space();
        while (!accept('}')) {
            const std::string key = string_literal();
            skip_space();
            expect(':');
            skip_space();
            if (key == "descr") {
                set_once(header.descr, string_literal(), key);
            } else if (key == "fortran_order") {
                set_once(header.fortran_order, boolean(), key);
            } else if (key == "shape") {
                set_once(header.shape, tuple(), key);
            } else {
                fail(fmt::format("unknown key '{}'", key));
            }
            skip_space();
            if (accept(',')) {
                skip_space();
                continue;
            }
            skip_space();
            expect('}');
            break;
        }
        skip_space();
        if (m_pos != m_text.size()) fail("unexpected text after the closing '}'");
        if (!header.descr) fail("key 'descr' is missing");
        if (!header.fortran_order) fail("key 'fortran_order' is missing");
        if (!header.shape) fail("key 'shape' is missing");
        return header;
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw Error(fmt::format("{}: header does not parse at header byte {}: {}", m_source, m_pos, what));
    }
    template <typename T>
    void set_once(std::optional<T>& field, T value, const std::string& key) {
        if (field) fail(fmt::format("key '{}' appears twice", key));
        field = std::move(value);
    }
    void skip_space() {
        while (m_pos < m_text.size() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\n' || m_text[m_pos] == '\t'))
            ++m_pos;
    }
    bool accept(char c) {
        if (m_pos < m_text.size() && m_text[m_pos] == c) {
            ++m_pos;
            return true;
        }
        return false;
    }
    void expect(char c) {
        if (!accept(c))
            fail(m_pos < m_text.size() ? fmt::format("expected '{}', found '{}'", c, m_text[m_pos])
                                       : fmt::format("expected '{}', found the end of the header", c));
    }
    std::string string_literal() {
        if (m_pos >= m_text.size() || (m_text[m_pos] != '\'' && m_text[m_pos] != '"'))
            fail("expected a quoted string");
        const char quote = m_text[m_pos++];
        const std::size_t start = m_pos;
        while (m_pos < m_text.size() && m_text[m_pos] != quote) {
            if (m_text[m_pos] == '\\') fail("escapes in strings are not supported");
            ++m_pos;
        }
        if (m_pos >= m_text.size()) fail("unterminated string");
        return std::string(m_text.substr(start, m_pos++ - start));
    }
    bool boolean() {
        if (m_text.substr(m_pos, 4) == "True") {
            m_pos += 4;
            return true;
        }
        if (m_text.substr(m_pos, 5) == "False") {
            m_pos += 5;
            return false;
        }
        fail("expected True or False");
    }
    std::uint64_t integer() {
        if (m_pos >= m_text.size() || !std::isdigit(static_cast<unsigned char>(m_text[m_pos])))
            fail("expected a non-negative integer");
        std::uint64_t value = 0;
        while (m_pos < m_text.size() && std::isdigit(static_cast<unsigned char>(m_text[m_pos]))) {
            const auto digit = static_cast<std::uint64_t>(m_text[m_pos] - '0');
            if (value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) fail("shape extent overflows 64 bits");
            value = value * 10 + digit;
            ++m_pos;
        }
        accept('L');  // Python 2 long literals, as old NumPy wrote them
        return value;
    }
    Shape tuple() {
        Shape shape;
        expect('(');
        skip_space();
        if (accept(')')) return shape;
        bool trailing_comma = false;
        for (;;) {
            shape.push_back(integer());
            skip_space();
            if (accept(')')) break;
            expect(',');
            skip_space();
            if (accept(')')) {
                trailing_comma = true;
                break;
            }
        }
        // (3) is a parenthesised integer in Python, not a shape.
        if (shape.size() == 1 && !trailing_comma) fail("a one-element shape needs a trailing comma");
        return shape;
    }

    std::string_view m_text;
    std::string_view m_source;
    std::size_t m_pos = 0;
};

DType parse_descr(const std::string& descr, std::string_view source) {
    if (descr.size() == 3) {
        const char order = descr[0];
        const std::string_view kind = std::string_view(descr).substr(1);
        const bool any_order = order == '|' || order == '<' || order == '>' || order == '=';
        if (any_order && kind == "i1") return DType::int8;
        if (any_order && kind == "u1") return DType::uint8;
        if (order == '<') {
            if (kind == "i4") return DType::int32;
            if (kind == "f4") return DType::float32;
            if (kind == "f8") return DType::float64;
        }
        if (order == '>' && (kind == "i4" || kind == "f4" || kind == "f8"))
            throw Error(fmt::format("{}: big-endian dtype '{}' is not supported (expected '<{}')", source, descr, kind));
    }
    throw Error(fmt::format("{}: unsupported dtype '{}' (expected '|i1', '|u1', '<i4', '<f4' or '<f8')", source, descr));
}

std::string descr_of(DType dtype) {
    switch (dtype) {
    case DType::int8: return "|i1";
    case DType::uint8: return "|u1";
    case DType::int32: return "<i4";
    case DType::float32: return "<f4";
    case DType::float64: return "<f8";
    }
    return "|u1";
}

std::uint32_t read_le(const std::uint8_t* p, std::size_t bytes) {
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < bytes; ++i) v |= std::uint32_t{p[i]} << (8 * i);
    return v;
}

}  // namespace

Tensor parse_npy(const std::uint8_t* data, std::size_t size, std::string_view source) {
    if (size < kMagicSize + 2)
        throw Error(fmt::format("{}: truncated: {} bytes cannot hold the .npy magic and version", source, size));
    if (std::memcmp(data, kMagic, kMagicSize) != 0) throw Error(fmt::format("{}: bad magic: not a .npy file", source));
    const unsigned major = data[6];
    const unsigned minor = data[7];
    if ((major != 1 && major != 2 && major != 3) || minor != 0)
        throw Error(fmt::format("{}: unsupported .npy format version {}.{} (expected 1.0, 2.0 or 3.0)", source, major,
                                minor));
    const std::size_t length_bytes = major == 1 ? 2 : 4;
    const std::size_t preamble = kMagicSize + 2 + length_bytes;
    if (size < preamble) throw Error(fmt::format("{}: truncated inside the header length field", source));
    const std::size_t header_length = read_le(data + kMagicSize + 2, length_bytes);
    if (header_length > size - preamble)
        throw Error(fmt::format("{}: truncated: header of {} bytes declared but only {} follow", source, header_length,
                                size - preamble));

    const std::string_view text(reinterpret_cast<const char*>(data + preamble), header_length);
    const Header header = HeaderParser(text, source).parse();
    const DType dtype = parse_descr(*header.descr, source);
    if (*header.fortran_order)
        throw Error(fmt::format("{}: Fortran-order arrays are not supported (save with C order, "
                                "e.g. numpy.ascontiguousarray)",
                                source));

    const Shape& shape = *header.shape;
    std::uint64_t count = 0;
    try {
        count = element_count(shape);
    } catch (const Error&) {
        throw Error(fmt::format("{}: shape {} overflows: its element count does not fit 64 bits", source,
                                shape_to_string(shape)));
    }
    const std::size_t element = element_size_bytes(dtype);
    const std::size_t available = size - preamble - header_length;
    if (count > std::numeric_limits<std::uint64_t>::max() / element)
        throw Error(fmt::format("{}: shape {} of {} overflows: its size in bytes does not fit 64 bits", source,
                                shape_to_string(shape), to_string(dtype)));
    const std::uint64_t needed = count * element;
    if (needed > available)
        throw Error(fmt::format("{}: truncated: shape {} of {} needs {} data bytes but only {} follow the header",
                                source, shape_to_string(shape), to_string(dtype), needed, available));
    if (needed < available)
        throw Error(fmt::format("{}: data length does not match the shape: {} data bytes follow the header but "
                                "shape {} of {} needs {}",
                                source, available, shape_to_string(shape), to_string(dtype), needed));

    Tensor tensor(shape, dtype);
    if (needed) std::memcpy(tensor.bytes(), data + preamble + header_length, static_cast<std::size_t>(needed));
    return tensor;
}

Tensor read_npy(const std::string& path) {
    const std::vector<std::uint8_t> bytes = read_file_bytes(path);
    return parse_npy(bytes.data(), bytes.size(), path);
}

std::vector<std::uint8_t> serialize_npy(const Tensor& tensor) {
    std::string header = fmt::format("{{'descr': '{}', 'fortran_order': False, 'shape': {}, }}",
                                     descr_of(tensor.dtype()), shape_to_string(tensor.shape()));
    // Pad with spaces and end with a newline so the data starts on a 64-byte boundary; version 1.0 holds header
    // lengths up to 65535.
    auto padded_total = [&header](std::size_t preamble) { return (preamble + header.size() + 1 + 63) / 64 * 64; };
    const std::size_t v1_preamble = kMagicSize + 2 + 2;
    const bool v1 = padded_total(v1_preamble) - v1_preamble <= 65535;
    const std::size_t preamble = v1 ? v1_preamble : kMagicSize + 2 + 4;
    const std::size_t total = padded_total(preamble);
    header.append(total - preamble - header.size() - 1, ' ');
    header.push_back('\n');

    std::vector<std::uint8_t> out(total + tensor.size_bytes());
    std::memcpy(out.data(), kMagic, kMagicSize);
    out[kMagicSize] = v1 ? 1 : 2;
    out[kMagicSize + 1] = 0;
    for (std::size_t i = 0; i < preamble - kMagicSize - 2; ++i)
        out[kMagicSize + 2 + i] = static_cast<std::uint8_t>(header.size() >> (8 * i));
    std::memcpy(out.data() + preamble, header.data(), header.size());
    if (tensor.size_bytes()) std::memcpy(out.data() + total, tensor.bytes(), tensor.size_bytes());
    return out;
}

void write_npy(const std::string& path, const Tensor& tensor) {
    const std::vector<std::uint8_t> bytes = serialize_npy(tensor);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(fmt::format("{}: cannot open for writing", path));
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) throw Error(fmt::format("{}: write error", path));
}

}  // namespace spark::tensor
