// SPDX-License-Identifier: Apache-2.0
// DRAM configuration in two layers: the JSON file (a preset, or a user file that names a base preset and overrides
// some fields) is read field by field through spark::ConfigReader; the result is the validated runtime struct
// below, with every timing in memory-clock cycles (nCK) and the clock period converted once.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace spark::dram {

// Memory-clock cycles (nCK). The core computes every event time in this unit.
using Cycle = std::uint64_t;

struct Geometry {
    unsigned channels = 1;
    unsigned ranks = 1;
    unsigned bank_groups = 1;       // 1 for devices without bank groups (LPDDR4)
    unsigned banks_per_group = 8;
    unsigned rows = 0;
    unsigned columns = 0;           // device columns per row; one column is device_width_bits wide
    unsigned device_width_bits = 0; // x8, x16, ...
    unsigned devices_per_rank = 1;  // chips side by side on the data bus (8 for a x64 DIMM of x8 chips)
    unsigned burst_length = 8;      // beats per column access (BL8 for DDR4, BL16 for LPDDR4, BL4 for HBM2)
    // Separate row (ACT, PRE, REF) and column (RD, WR) command buses, one command per cycle each (HBM2); else
    // one command bus for all.
    bool split_command_bus = false;

    unsigned banks() const { return bank_groups * banks_per_group; }
    unsigned bus_width_bits() const { return device_width_bits * devices_per_rank; }
    unsigned burst_bytes() const { return burst_length * bus_width_bits() / 8; }
    std::uint64_t row_bytes() const { return std::uint64_t(columns) * bus_width_bits() / 8; }  // page per rank
    unsigned bursts_per_row() const { return columns / burst_length; }
    std::uint64_t channel_bytes() const { return std::uint64_t(ranks) * banks() * rows * row_bytes(); }
    std::uint64_t size_bytes() const { return channel_bytes() * channels; }
};

// JEDEC timing parameters in nCK. The phase or command each one delays is noted; docs/dram.md has the table.
struct Timing {
    unsigned CL = 0;      // RD command -> first read data beat
    unsigned CWL = 0;     // WR command -> first write data beat
    unsigned RCD = 0;     // ACT -> RD
    unsigned RCD_WR = 0;  // ACT -> WR (HBM2 has a separate tRCDWR; equal to RCD elsewhere)
    unsigned RP = 0;      // PRE -> ACT, same bank
    unsigned RAS = 0;     // ACT -> PRE, same bank
    unsigned RC = 0;      // ACT -> ACT, same bank
    unsigned CCD_S = 0;   // CAS -> CAS, different bank group
    unsigned CCD_L = 0;   // CAS -> CAS, same bank group
    unsigned RRD_S = 0;   // ACT -> ACT, different bank group
    unsigned RRD_L = 0;   // ACT -> ACT, same bank group
    unsigned FAW = 0;     // window holding at most four ACTs per rank
    unsigned WR = 0;      // end of write data -> PRE (write recovery)
    unsigned WTR_S = 0;   // end of write data -> RD, different bank group
    unsigned WTR_L = 0;   // end of write data -> RD, same bank group
    unsigned RTP = 0;     // RD -> PRE
    unsigned RTW = 2;     // extra bus turnaround between read data end and write data start
    unsigned RTRS = 1;    // extra bus turnaround when consecutive data bursts come from different ranks
    unsigned RFC = 0;     // REF -> any command to the rank
    unsigned REFI = 0;    // average interval between all-bank refreshes
};

// One supply rail of one device, currents in mA as datasheets list them (DRAMPower's IDD model).
struct PowerRail {
    std::string name;
    double voltage_v = 0.0;
    double idd0_ma = 0.0;   // one bank ACT-PRE cycling at tRC
    double idd2n_ma = 0.0;  // precharged standby
    double idd3n_ma = 0.0;  // active standby
    double idd4r_ma = 0.0;  // burst read
    double idd4w_ma = 0.0;  // burst write
    double idd5b_ma = 0.0;  // burst refresh (REF every tRFC)
};

enum class SchedulerKind { fr_fcfs, fcfs };
enum class RefreshKind { all_bank, none };

// Address fields from most to least significant bit; the byte offset inside a burst is always below them.
enum class AddressField { channel, rank, bank_group, bank, row, column };

// One field of an address mapping. The column may be split: "column:N" takes N of its bits at that place (the
// pieces nearest the least significant bit take the column's low bits) and plain "column" the rest.
struct MappingField {
    AddressField field = AddressField::row;
    unsigned bits = 0;  // column pieces only; 0: every bit the other pieces leave
};

struct ControllerConfig {
    unsigned queue_depth = 32;  // bursts waiting for a decision; a full queue back-pressures BEGIN_REQ
    SchedulerKind scheduler = SchedulerKind::fr_fcfs;
    // fr-fcfs: a burst that has waited this many memory cycles goes next, ready or not (0: never forced)
    unsigned starvation_cycles = 2000;
    RefreshKind refresh = RefreshKind::all_bank;
    // MSB first. The config gives a list of fields, or a name: "row-bank-column" (row, rank, bank_group, bank,
    // column, channel: a run of bursts stays in one row of one bank) or "bank-group-interleaved" (row, rank, bank,
    // column, bank_group, channel: consecutive bursts rotate bank groups, so they go tCCD_S apart).
    std::vector<MappingField> address_mapping;
    std::string address_mapping_name;  // the preset name given, or "custom"
};

struct DramConfig {
    std::string name;
    std::string type;                             // DDR4, LPDDR4, HBM2: informational
    std::map<std::string, std::string> source;   // where each group of numbers comes from
    double clock_mhz = 0.0;                       // memory clock (data rate / 2)
    double tck_ns = 0.0;                          // derived once: 1000 / clock_mhz
    Geometry geometry;
    Timing timing;
    std::vector<PowerRail> rails;
    ControllerConfig controller;

    std::uint64_t size_bytes() const { return geometry.size_bytes(); }
    unsigned burst_cycles() const { return geometry.burst_length / 2; }  // double data rate
    // Peak data-bus bandwidth of all channels in GB/s (1e9 bytes per second).
    double peak_bandwidth_gbps() const {
        return double(geometry.burst_bytes()) * geometry.channels / (burst_cycles() * tck_ns);
    }

    // Built-in presets (compiled into the library from models/dram/presets/*.json).
    static DramConfig from_preset(const std::string& name);
    static std::vector<std::string> preset_names();
    // A JSON file: a full description, or {"base_preset": "DDR4-3200", ...fields to override...}.
    static DramConfig from_file(const std::string& path);
    // The same from an already parsed object; `source` names it in error messages.
    static DramConfig from_json(const nlohmann::json& j, const std::string& source);
};

std::string to_string(AddressField f);
std::string to_string(SchedulerKind k);
std::string to_string(RefreshKind k);

}  // namespace spark::dram
