#pragma once

#include <string>

namespace vcluster::roll {

// What the roll checker knows of Rocks itself (the base roll and the other
// rolls of a stock frontend), so that references to it are not reported as
// missing. The lists are in RocksBase.cpp, with where each name comes from.

// A node file that lives in another Rocks roll (server, client, base, ...).
bool isExternalNode(const std::string& name);

// The graft points every appliance descends from: `server` (the frontend)
// and `client` (every other appliance), plus Rocks' own `compute`.
bool isRocksRoot(const std::string& name);

// HEAD and TAIL: the pseudo nodes of <order> that mean "first" and "last".
bool isOrderAnchor(const std::string& name);

// A Rocks attribute that kpp substitutes for &name; in node files: Rocks'
// standard attributes, or one of this roll's own (prefix "vc_").
bool isKnownAttribute(const std::string& name);

}  // namespace vcluster::roll
