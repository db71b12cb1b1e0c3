// SPDX-License-Identifier: Apache-2.0
// A dense C-order tensor: a shape, an element type and the raw little-endian bytes. Blocks that move tensors
// (DMA, buffers, the codec) only need the bytes; typed views give the values to code that computes on them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace spark::tensor {

enum class DType : std::uint8_t { int8, uint8, int32, float32, float64 };

std::string_view to_string(DType dtype);  // "int8", "uint8", "int32", "float32", "float64"
std::size_t element_size_bytes(DType dtype);

template <typename T>
struct DTypeOf;
template <> struct DTypeOf<std::int8_t> { static constexpr DType value = DType::int8; };
template <> struct DTypeOf<std::uint8_t> { static constexpr DType value = DType::uint8; };
template <> struct DTypeOf<std::int32_t> { static constexpr DType value = DType::int32; };
template <> struct DTypeOf<float> { static constexpr DType value = DType::float32; };
template <> struct DTypeOf<double> { static constexpr DType value = DType::float64; };

using Shape = std::vector<std::uint64_t>;

// Product of the extents (1 for a scalar shape); throws spark::Error if it overflows 64 bits.
std::uint64_t element_count(const Shape& shape);
std::string shape_to_string(const Shape& shape);  // "(2, 3)", "(5,)", "()" as numpy prints them

class Tensor {
public:
    Tensor() = default;
    // Zero-filled. Throws spark::Error if the byte size overflows.
    Tensor(Shape shape, DType dtype);

    template <typename T>
    static Tensor from_values(Shape shape, const std::vector<T>& values);

    const Shape& shape() const { return m_shape; }
    DType dtype() const { return m_dtype; }
    std::size_t size() const { return m_bytes.size() / element_size_bytes(m_dtype); }
    std::size_t size_bytes() const { return m_bytes.size(); }

    std::uint8_t* bytes() { return m_bytes.data(); }
    const std::uint8_t* bytes() const { return m_bytes.data(); }

    // Typed views; throw spark::Error if T is not the tensor's dtype.
    template <typename T>
    T* data() {
        check_dtype(DTypeOf<T>::value);
        return reinterpret_cast<T*>(m_bytes.data());
    }
    template <typename T>
    const T* data() const {
        check_dtype(DTypeOf<T>::value);
        return reinterpret_cast<const T*>(m_bytes.data());
    }
    template <typename T>
    std::vector<T> values() const {
        const T* p = data<T>();
        return std::vector<T>(p, p + size());
    }

private:
    void check_dtype(DType wanted) const;
    void check_count(std::size_t count) const;  // a value list must fill the shape exactly

    Shape m_shape;
    DType m_dtype = DType::uint8;
    // Backed by std::vector<uint8_t>: operator new aligns it for every dtype above.
    std::vector<std::uint8_t> m_bytes;
};

template <typename T>
Tensor Tensor::from_values(Shape shape, const std::vector<T>& values) {
    Tensor t(std::move(shape), DTypeOf<T>::value);
    t.check_count(values.size());
    T* p = t.data<T>();
    for (std::size_t i = 0; i < values.size(); ++i) p[i] = values[i];
    return t;
}

}  // namespace spark::tensor
