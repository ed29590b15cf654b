#pragma once

// GPUs a job holds (docs/accounting.md, "GPUs a job holds"): when both ends of a host's power
// interval carry a per-component breakdown, each GPU's energy in a piece of the interval goes to
// the jobs running then that hold that GPU (shared equally when several do); the rest of the
// host's energy (CPU, DRAM, GPUs nobody holds, the rest of the node) is shared equally among every
// job running then, as without GPUs. Private to accounting/.

#include "accounting/LedgerState_p.h"

#include <QJsonObject>
#include <QString>
#include <vector>

namespace greenpulse::core::ledgerdevices {

// One end of an interval: a power sample's breakdown and the counter id its "j" belong to. Points
// at the sample's own data: nothing is copied.
struct Breakdown
{
    const std::vector<PowerComponent> *components = nullptr;
    const QString *counterId = nullptr;
};

// The GPUs of one interval of one host and the candidate jobs holding them. Reused from interval
// to interval (LedgerState::devices): no allocation once it has grown.
class DeviceSplit
{
public:
    // Prepares (t0, t1] of `host`: false when there is nothing to split (a breakdown missing on
    // one end, no GPU listed on both, or no candidate holds one of them); integrate() then shares
    // the interval as usual.
    bool prepare(const QString &host, Breakdown opening, Breakdown closing, TimeNs t0, TimeNs t1,
                 const std::vector<LedgerState::Job *> &candidates);

    // The piece [a, b) of the interval, whose energy is `joules`, run by `active`: sets shares[k]
    // to active[k]'s energy (its GPUs' part plus an equal share of the rest; shares must have
    // active.size() entries). Returns true when the held GPUs' energy exceeded `joules` and was
    // scaled down to it (so the shares still add up to `joules`).
    bool split(const std::vector<LedgerState::Job *> &active, TimeNs a, TimeNs b, double joules,
               std::vector<double> &shares);

private:
    struct Gpu
    {
        double w0 = 0; // watts at t0 and t1: the trapezoid when no counter measures it
        double w1 = 0;
        bool measured = false; // its own counter difference, spread evenly over the interval
        double joules = 0;     // that difference
    };
    double energyIn(const Gpu &gpu, TimeNs a, TimeNs b) const;
    // The bit of the GPU a job's device names: "3" is "gpu3"; a device id ("GPU-8f1e...") is the
    // GPU whose "uuid" is that id (any case), or the only one starting with it (CUDA accepts a
    // unique prefix). 0: none here (a MIG instance, a GPU not in the breakdown).
    quint64 bitOf(const QString &device) const;

    TimeNs m_t0 = 0;
    TimeNs m_t1 = 0;
    std::vector<Gpu> m_gpus;                  // GPUs listed on both ends (at most 64)
    std::vector<const PowerComponent *> m_at; // the closing end's component of each, for matching
    std::vector<std::pair<const LedgerState::Job *, quint64>> m_holds; // job -> bits of m_gpus
    std::vector<quint64> m_activeBits; // per piece: what each running job holds
};

// The state file's "components" and "components_counter_id" of a host (LedgerStore.cpp): its
// latest breakdown, the opening end of its next interval, so a restart keeps the split.
void save(const LedgerState::Host &host, QJsonObject *o);
void load(const QJsonObject &o, LedgerState::Host &host);

// Whether a component is a GPU a job may hold: named "gpu<N>" (the host agent's NVML devices) or
// carrying a "uuid".
bool isGpu(const PowerComponent &component);

} // namespace greenpulse::core::ledgerdevices
