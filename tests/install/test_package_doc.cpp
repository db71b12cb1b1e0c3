// SPDX-License-Identifier: Apache-2.0
// The rules docs/accelerator.md and docs/soc-integration.md state for driver and platform writers, checked
// against the code: each table marked `<!-- test_package_doc: NAME -->` row by row, and the version numbers.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "spark/accelerator/descriptor.h"
#include "spark/accelerator/plan.h"
#include "spark/codec/chunked.h"
#include "spark/codec/stream.h"
#include "spark/common/error.h"
#include "spark/common/version.h"
#include "spark/controller/register_bank.h"
#include "spark/controller/spark_accel_regs.h"

using namespace spark;
using namespace spark::accelerator;

namespace {

std::string read_file(const char* path) {
    std::ifstream in(path);
    REQUIRE(in);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string trim(const std::string& s) {
    const auto a = s.find_first_not_of(' '), b = s.find_last_not_of(' ');
    return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

std::string strip_backticks(std::string s) {
    if (s.size() >= 2 && s.front() == '`' && s.back() == '`') s = s.substr(1, s.size() - 2);
    return s;
}

std::vector<std::string> cells(const std::string& line) {
    std::vector<std::string> out;
    std::string cell;
    bool escaped = false;
    for (std::size_t i = 1; i < line.size(); ++i) {  // line[0] is the leading bar
        const char c = line[i];
        if (c == '|' && !escaped) {
            out.push_back(trim(cell));
            cell.clear();
        } else if (c == '\\' && i + 1 < line.size() && line[i + 1] == '|') {
            escaped = true;
            continue;
        } else {
            cell += c;
        }
        escaped = false;
    }
    return out;
}

// The body rows of the table after `<!-- test_package_doc: name -->` (header and separator skipped).
std::vector<std::vector<std::string>> table(const std::string& doc, const std::string& name) {
    const std::string marker = "<!-- test_package_doc: " + name + " -->";
    const auto at = doc.find(marker);
    INFO("marker " << marker);
    REQUIRE(at != std::string::npos);
    std::istringstream in(doc.substr(at + marker.size()));
    std::string line;
    std::vector<std::vector<std::string>> rows;
    int seen = 0;
    while (std::getline(in, line)) {
        if (line.empty() && seen == 0) continue;
        if (line.empty() || line[0] != '|') break;
        if (++seen > 2) rows.push_back(cells(line));
    }
    REQUIRE(!rows.empty());
    return rows;
}

// The cells of the first table row of `doc` whose leading cells are `first`.
std::vector<std::string> row_starting(const std::string& doc, const std::vector<std::string>& first) {
    std::istringstream in(doc);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] != '|') continue;
        const auto c = cells(line);
        if (c.size() > first.size() && std::equal(first.begin(), first.end(), c.begin())) return c;
    }
    FAIL("no table row starts with " << first.front());
    return {};
}

std::vector<std::uint8_t> hex_bytes(const std::string& text) {
    std::vector<std::uint8_t> out;
    std::istringstream in(text);
    std::string word;
    while (in >> word) out.push_back(static_cast<std::uint8_t>(std::stoul(word, nullptr, 16)));
    return out;
}

std::vector<std::uint8_t> signed_codes(const std::string& text) {  // "1, 100, -2"
    std::vector<std::uint8_t> out;
    std::istringstream in(text);
    std::string word;
    while (std::getline(in, word, ','))
        out.push_back(static_cast<std::uint8_t>(static_cast<std::int8_t>(std::stoi(trim(word)))));
    return out;
}

TensorDesc feature_map(std::uint32_t n, std::uint32_t c, std::uint32_t h, std::uint32_t w) {
    TensorDesc t;
    t.rank = 4;
    t.dims = {n, c, h, w};
    t.layout = Layout::feature_map;
    t.table_address = 0x1000;
    t.data_address = 0x2000;
    return t;
}

// A valid 3x3 convolution, [1, 8, 16, 16] -> [1, 16, 16, 16], SPARK storage; input2 unused.
LayerDescriptor conv3x3() {
    LayerDescriptor d;
    d.opcode = Opcode::conv2d;
    d.kernel_h = d.kernel_w = 3;
    d.pad_h = d.pad_w = 1;
    d.input = feature_map(1, 8, 16, 16);
    d.output = feature_map(1, 16, 16, 16);
    d.weights.rank = 2;
    d.weights.dims = {16, 72, 0, 0};
    d.weights.layout = Layout::matrix;
    d.input.scale = 0.05;
    d.weights.scale = 0.01;
    d.output.scale = 0.1;
    return d;
}

TileBudget budget() { return {2048, 512, 512, 4096, 1024, 1024}; }

void put32(std::array<std::uint8_t, 256>& b, std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) b[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
}

// Decodes and plans `bytes`; the message of the first refusal, or "" when both accept it.
std::string refusal(const std::array<std::uint8_t, 256>& bytes) {
    try {
        const LayerDescriptor d = LayerDescriptor::decode(bytes.data(), bytes.size());
        (void)plan_layer(d, budget());
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

constexpr std::size_t kInput = 48, kInput2 = 96, kWeights = 144, kOutput = 192;  // tensor records
constexpr std::size_t kRank = 32, kLayout = 33, kChunkRank = 35, kDims = 16;    // within a record

}  // namespace

TEST_CASE("package version, VERSION register and descriptor version are the documented ones", "[docs]") {
    // The VERSION register is the package's major.minor.
    controller::RegisterBank registers;
    std::uint32_t version = 0;
    REQUIRE(registers.read(SPARK_REG_VERSION, version) == controller::AccessStatus::ok);
    INFO("the VERSION register must read the package's major << 16 | minor: a register-interface change bumps "
         "project(spark_tlm VERSION ...) in the top CMakeLists.txt, and the versions table in "
         "docs/soc-integration.md and the VERSION rows of both docs with it");
    CHECK(version == SPARK_TLM_VERSION_REGISTER);
    CHECK(SPARK_TLM_VERSION_REGISTER == ((SPARK_TLM_VERSION_MAJOR << 16) | SPARK_TLM_VERSION_MINOR));
    char text[32];
    std::snprintf(text, sizeof text, "%d.%d.%d", SPARK_TLM_VERSION_MAJOR, SPARK_TLM_VERSION_MINOR,
                  SPARK_TLM_VERSION_PATCH);
    CHECK(std::string(text) == SPARK_TLM_VERSION_STRING);

    const std::string soc = read_file(SPARK_SOC_DOC);
    const auto versions = table(soc, "versions");
    std::map<std::string, std::string> value;
    for (const auto& row : versions) {
        REQUIRE(row.size() >= 2);
        value[row[0]] = strip_backticks(row[1]);
    }
    char reg[16];
    std::snprintf(reg, sizeof reg, "0x%08X", SPARK_TLM_VERSION_REGISTER);
    CHECK(value["package"] == SPARK_TLM_VERSION_STRING);
    CHECK(value["`VERSION` register"] == reg);
    CHECK(value["descriptor format"] == std::to_string(LayerDescriptor::kVersion));

    // The register tables name the same major.minor; the descriptor byte map the same format version.
    const std::string major_minor =
        "(" + std::to_string(SPARK_TLM_VERSION_MAJOR) + "." + std::to_string(SPARK_TLM_VERSION_MINOR) + ")";
    const std::string accel = read_file(SPARK_ACCELERATOR_DOC);
    CHECK(row_starting(accel, {"0x004", "VERSION", "RO"}).at(3) == "major << 16 | minor " + major_minor);
    CHECK(row_starting(soc, {"`0x004`", "`VERSION`", "RO"}).at(3) == "major << 16 | minor " + major_minor);
    CHECK(row_starting(accel, {"4", "2"}).at(2) == "version (" + std::to_string(LayerDescriptor::kVersion) + ")");
}

TEST_CASE("docs/soc-integration.md lists every exported library", "[docs]") {
    const std::string soc = read_file(SPARK_SOC_DOC);
    const auto from = soc.find("Each library is `spark_tlm::<block>`");
    REQUIRE(from != std::string::npos);
    const auto to = soc.find("`spark_tlm_TARGETS`", from);
    REQUIRE(to != std::string::npos);
    std::vector<std::string> documented;
    const std::string text = soc.substr(from, to - from);
    for (std::size_t at = text.find('`'); at != std::string::npos;) {
        const auto end = text.find('`', at + 1);
        REQUIRE(end != std::string::npos);
        const std::string word = text.substr(at + 1, end - at - 1);
        if (word.find(':') == std::string::npos) documented.push_back(word);  // not spark_tlm::<block>
        at = text.find('`', end + 1);
    }
    std::vector<std::string> exported;
    std::istringstream names(SPARK_EXPORTED_NAMES);
    for (std::string name; names >> name;) exported.push_back(name.substr(name.find("::") + 2));
    std::sort(documented.begin(), documented.end());
    std::sort(exported.begin(), exported.end());
    CHECK(documented == exported);
}

TEST_CASE("the nibble-order table is what the codec writes", "[docs]") {
    const auto rows = table(read_file(SPARK_ACCELERATOR_DOC), "nibble-order");
    for (const auto& row : rows) {
        REQUIRE(row.size() == 3);
        INFO(row[0] << " | " << row[1]);
        const std::vector<std::uint8_t> codes = signed_codes(row[0]);
        std::vector<std::uint8_t> bytes;
        if (row[1] == "SPARK") {
            bytes = codec::pack(codes, codec::Mode::signed_i8).bytes;
        } else {
            const unsigned bits = static_cast<unsigned>(std::stoul(row[1].substr(row[1].find(' ') + 1)));
            REQUIRE(row[1].rfind("raw ", 0) == 0);
            bytes.resize(codec::raw_chunk_bytes(codes.size(), bits));
            codec::pack_raw(codes.data(), codes.size(), codec::Mode::signed_i8, bits, bytes.data());
        }
        CHECK(bytes == hex_bytes(strip_backticks(row[2])));
    }
}

TEST_CASE("the requantisation table is what the array computes", "[docs]") {
    const auto rows = table(read_file(SPARK_ACCELERATOR_DOC), "requantisation");
    for (const auto& row : rows) {
        REQUIRE(row.size() == 9);
        INFO(row[0] << " " << row[1] << " " << row[2] << " acc " << row[6]);
        const pe_array::Requant q = make_requant(std::stod(row[0]), std::stod(row[1]), std::stod(row[2]),
                                                 std::stoi(row[3]), row[4] == "signed", row[5] == "yes");
        REQUIRE(q.scale.size() == 1);
        // The float as the doc prints it: 15 significant digits name exactly one float.
        CHECK(static_cast<float>(std::stod(row[7])) == q.scale[0]);
        const std::uint8_t code = q.apply(std::stoi(row[6]), 0);
        const int value = row[4] == "signed" ? static_cast<std::int8_t>(code) : code;
        CHECK(value == std::stoi(row[8]));
    }
}

TEST_CASE("the descriptor validation table is what decode and the planner refuse", "[docs]") {
    const LayerDescriptor valid = conv3x3();
    const std::array<std::uint8_t, 256> good = valid.encode();
    REQUIRE(refusal(good).empty());

    using Bytes = std::array<std::uint8_t, 256>;
    const auto with = [&](const std::function<void(Bytes&)>& change) {
        Bytes b = good;
        change(b);
        return b;
    };
    const auto with_desc = [&](const std::function<void(LayerDescriptor&)>& change) {
        LayerDescriptor d = valid;
        change(d);
        return d.encode();
    };
    const std::map<std::string, Bytes> cases = {
        {"magic", with([](Bytes& b) { put32(b, 0, 0); })},
        {"version", with([](Bytes& b) { b[4] = 2; })},
        {"opcode", with([](Bytes& b) { b[6] = 4; })},
        {"flags", with([](Bytes& b) { b[12] |= 8; })},
        {"reserved", with([](Bytes& b) { b[46] = 1; })},
        {"raw width", with([](Bytes& b) { b[41] = 9; })},
        {"raw width with SPARK storage", with([](Bytes& b) { b[44] = 4; })},
        {"rank", with([](Bytes& b) { b[kInput2 + kRank] = 5; })},
        {"layout", with([](Bytes& b) { b[kWeights + kLayout] = 3; })},
        {"feature map rank", with([](Bytes& b) { b[kWeights + kLayout] = 1; })},
        {"chunk_rank", with([](Bytes& b) { b[kOutput + kChunkRank] = 4; })},
        {"dims", with([](Bytes& b) { put32(b, kWeights + kDims + 4, 0); })},
        {"size", with([](Bytes& b) {
             for (int i = 0; i < 4; ++i) put32(b, kInput + kDims + 4 * i, 0xFFFFFFFFu);
         })},
        {"window", with([](Bytes& b) { b[22] = 0; })},
        {"groups", with([](Bytes& b) { put32(b, 32, 0); })},
        {"input and output", with([](Bytes& b) { b[kInput + kRank] = b[kInput + kLayout] = 0; })},
        {"input zero point", with_desc([](LayerDescriptor& d) { d.input.zero_point = 3; })},
        {"weights zero point", with_desc([](LayerDescriptor& d) { d.weights.zero_point = -1; })},
        {"requantisation scale", with_desc([](LayerDescriptor& d) { d.output.scale = 0.0; })},
        {"requantisation scale range", with_desc([](LayerDescriptor& d) { d.output.scale = 1e-15; })},
        {"output zero point", with_desc([](LayerDescriptor& d) { d.output.zero_point = 200; })},
    };

    const auto rows = table(read_file(SPARK_ACCELERATOR_DOC), "descriptor-validation");
    std::map<std::string, std::string> documented;
    for (const auto& row : rows) {
        REQUIRE(row.size() == 3);
        CHECK(documented.emplace(row[0], strip_backticks(row[2])).second);
    }
    CHECK(documented.size() == cases.size());
    for (const auto& [rule, bytes] : cases) {
        INFO("rule: " << rule);
        const auto doc = documented.find(rule);
        REQUIRE(doc != documented.end());
        const std::string message = refusal(bytes);
        CHECK_THAT(message, Catch::Contains(doc->second));
    }
}

TEST_CASE("an unused tensor record is never read", "[docs]") {
    // conv2d with a valid input2 record: no load of the plan reads it.
    LayerDescriptor d = conv3x3();
    d.input2 = feature_map(1, 4, 4, 4);
    d.input2.table_address = 0xDEAD0000;
    d.input2.data_address = 0xBEEF0000;
    d.input2.zero_point = 7;
    const LayerDescriptor decoded = LayerDescriptor::decode(d.encode().data(), LayerDescriptor::kBytes);
    const LayerPlan plan = plan_layer(decoded, budget());
    REQUIRE(!plan.tiles.empty());
    for (const TileStep& t : plan.tiles)
        for (const LoadStep& l : t.loads) CHECK(l.source != Source::input2);
}
