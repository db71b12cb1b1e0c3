// SPDX-License-Identifier: Apache-2.0
// A design-space sweep: the sweep file as read (Sweep), and its expansion into architecture points, each validated
// by the platform's own architecture loader (Plan). docs/sweeps.md describes the file.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "expr.h"

namespace spark::sweep {

// One value of an axis: its label in results.csv and the architecture fields it sets (dotted path -> value).
struct AxisValue {
    std::string label;
    nlohmann::json value;                       // as written in the sweep file (a named axis: its fields)
    std::vector<std::pair<std::string, nlohmann::json>> fields;
};

// A field axis sets one architecture field by its dotted path ("array.rows"); a named axis ("design") gives each
// value a name and a set of fields.
struct Axis {
    std::string name;
    bool named = false;
    std::vector<AxisValue> values;
};

struct Constraint {
    std::string name;
    Expr expr;  // a point is kept when it is true
};

struct Workload {
    std::string path;  // absolute
    std::string name;  // the file's stem: the network column and the run folder's name
};

// The area proxy: PEs x the PE type's area + buffer bytes, a PE's area counted in bytes of buffer. The defaults
// are assumptions (docs/sweeps.md): the project's energy table has no areas.
struct AreaModel {
    std::map<std::string, double> pe_bytes{{"mixed_width", 320.0}, {"int4_shift", 100.0}, {"int8", 300.0}, {"unit", 300.0}};
    double buffer_byte = 1.0;
};

struct Sweep {
    std::string file;  // as given, for messages
    std::string name;
    std::string dir;                    // the sweep file's folder (absolute): relative paths resolve against it
    nlohmann::json base;                // the base architecture, its file paths made absolute
    std::vector<Workload> workloads;
    std::vector<std::optional<std::uint64_t>> seeds;  // {nullopt}: the workloads' own seeds
    std::vector<Axis> axes;
    std::optional<std::vector<std::vector<std::size_t>>> points;  // explicit list: a value index per axis
    std::vector<Constraint> constraints;
    std::map<std::string, std::size_t> reference;  // axis -> value index; absent axes: the first point's
    bool reference_given = false;
    bool baseline = false;  // spark-sim --baseline: each run also simulates its own INT8 baseline
    bool check = true;      // spark-sim's golden check
    AreaModel area;
};

// Reads and checks a sweep file; errors name the file, and the axis, constraint or point at fault.
Sweep load_sweep(const std::string& path);
// The same from text (`file` names it in messages, `dir` resolves relative paths).
Sweep parse_sweep(const std::string& text, const std::string& file, const std::string& dir);

struct Point {
    std::string label;                 // "3" for grid point 3, "ref" for a reference outside the grid
    std::vector<std::size_t> choice;   // a value index per axis
    nlohmann::json arch;               // the architecture file spark-sim gets
    std::string id;                    // hash of arch: the folder under points/
    std::string pe;                    // PE type, for the area proxy
    std::uint64_t pes = 0, buffer_bytes = 0;
    double area = 0;
    std::string describe(const Sweep& s) const;  // "array.rows=16, design=int8"
};

struct Dropped {
    std::size_t index;
    std::string description;
    std::string constraint;
};

struct Plan {
    std::vector<Point> points;   // kept by the constraints, in grid (or list) order
    std::vector<Dropped> dropped;
    Point reference;             // also in points when reference_index is set
    std::optional<std::size_t> reference_index;
};

// Expands the grid or list, validates every axis value and every point with the architecture loader, applies the
// constraints. Throws spark::Error naming the sweep file and the axis, constraint or point.
Plan expand(const Sweep& sweep);

// The architecture JSON with `fields` set (dotted paths, objects created on the way); `where` names the axis.
void set_field(nlohmann::json& arch, const std::string& path, const nlohmann::json& value, const std::string& where);

std::string hash_id(const std::string& text);  // 12 hex digits (FNV-1a 64)

}  // namespace spark::sweep
