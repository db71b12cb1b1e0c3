// SPDX-License-Identifier: Apache-2.0
#include "spark/dram/backing_store.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "spark/common/error.h"

namespace spark::dram {

BackingStore::BackingStore(std::uint64_t size_bytes, std::uint64_t page_bytes) : m_size(size_bytes), m_page(page_bytes) {
    if (page_bytes == 0 || (page_bytes & (page_bytes - 1)) != 0)
        throw Error(fmt::format("backing store: page size must be a power of two, got {}", page_bytes));
}

unsigned char* BackingStore::find(std::uint64_t index) const {
    const auto it = m_pages.find(index);
    return it == m_pages.end() ? nullptr : it->second.get();
}

unsigned char* BackingStore::get(std::uint64_t index) {
    auto& slot = m_pages[index];
    if (!slot) {
        slot.reset(new unsigned char[m_page]);
        std::memset(slot.get(), 0, m_page);
    }
    return slot.get();
}

unsigned char* BackingStore::page(std::uint64_t address, std::uint64_t& page_start) {
    page_start = address & ~(m_page - 1);
    return get(address / m_page);
}

void BackingStore::read(std::uint64_t address, unsigned char* data, std::uint32_t length, const unsigned char* enable,
                        std::uint32_t enable_length, std::uint32_t streaming_width) const {
    const bool simple = !enable && (streaming_width == 0 || streaming_width >= length);
    if (simple) {
        std::uint32_t done = 0;
        while (done < length) {
            const std::uint64_t a = address + done;
            const std::uint64_t offset = a % m_page;
            const auto chunk = std::uint32_t(std::min<std::uint64_t>(length - done, m_page - offset));
            if (const unsigned char* p = find(a / m_page)) std::memcpy(data + done, p + offset, chunk);
            else std::memset(data + done, 0, chunk);
            done += chunk;
        }
        return;
    }
    for (std::uint32_t i = 0; i < length; ++i) {
        if (enable && enable_length && enable[i % enable_length] == 0) continue;
        const std::uint64_t a = address + (streaming_width ? i % streaming_width : i);
        const unsigned char* p = find(a / m_page);
        data[i] = p ? p[a % m_page] : 0;
    }
}

void BackingStore::write(std::uint64_t address, const unsigned char* data, std::uint32_t length,
                         const unsigned char* enable, std::uint32_t enable_length, std::uint32_t streaming_width) {
    const bool simple = !enable && (streaming_width == 0 || streaming_width >= length);
    if (simple) {
        std::uint32_t done = 0;
        while (done < length) {
            const std::uint64_t a = address + done;
            const std::uint64_t offset = a % m_page;
            const auto chunk = std::uint32_t(std::min<std::uint64_t>(length - done, m_page - offset));
            std::memcpy(get(a / m_page) + offset, data + done, chunk);
            done += chunk;
        }
        return;
    }
    for (std::uint32_t i = 0; i < length; ++i) {
        if (enable && enable_length && enable[i % enable_length] == 0) continue;
        const std::uint64_t a = address + (streaming_width ? i % streaming_width : i);
        get(a / m_page)[a % m_page] = data[i];
    }
}

}  // namespace spark::dram
