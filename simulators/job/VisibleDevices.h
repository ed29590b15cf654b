#pragma once

#include <QProcessEnvironment>
#include <QStringList>

namespace greenpulse::sim {

// The GPUs `greenpulse-job run` says its job holds (docs/protocol.md, "Job details"): those
// CUDA_VISIBLE_DEVICES lists, read as CUDA reads it: comma-separated device indices ("0,3") or
// device ids ("GPU-8f1e...", "MIG-..."), up to the first entry that is neither (CUDA hides the
// rest: "-1", "NoDevFiles"), at most kMaxJobGpus. Empty when it is unset or lists none.
// Indices are as CUDA numbers them, which NVML's numbering matches only when
// CUDA_DEVICE_ORDER=PCI_BUS_ID or the GPUs are alike; ids are unambiguous.
QStringList cudaVisibleDevices(const QProcessEnvironment &environment);

} // namespace greenpulse::sim
