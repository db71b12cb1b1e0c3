// SPDX-License-Identifier: Apache-2.0
// Sparse byte storage: pages are allocated on first write (or when a DMI pointer is handed out), reads of
// untouched memory return zeros, so a multi-GiB memory costs only what is written. Pages never move, so DMI
// pointers stay valid for the life of the store.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>

namespace spark::dram {

class BackingStore {
public:
    explicit BackingStore(std::uint64_t size_bytes, std::uint64_t page_bytes = 64 * 1024);

    std::uint64_t size_bytes() const { return m_size; }
    std::uint64_t page_bytes() const { return m_page; }
    // Byte-enable semantics of TLM: byte i is transferred iff enable == nullptr or enable[i % enable_length] != 0.
    // Streaming width w wraps the memory address every w bytes. The caller has checked the range.
    void read(std::uint64_t address, unsigned char* data, std::uint32_t length, const unsigned char* enable = nullptr,
              std::uint32_t enable_length = 0, std::uint32_t streaming_width = 0) const;
    void write(std::uint64_t address, const unsigned char* data, std::uint32_t length,
               const unsigned char* enable = nullptr, std::uint32_t enable_length = 0, std::uint32_t streaming_width = 0);
    // The page holding `address`, allocated if needed; `page_start` receives its first address.
    unsigned char* page(std::uint64_t address, std::uint64_t& page_start);
    std::size_t allocated_pages() const { return m_pages.size(); }

private:
    unsigned char* find(std::uint64_t page_index) const;
    unsigned char* get(std::uint64_t page_index);

    std::uint64_t m_size;
    std::uint64_t m_page;
    std::unordered_map<std::uint64_t, std::unique_ptr<unsigned char[]>> m_pages;
};

}  // namespace spark::dram
