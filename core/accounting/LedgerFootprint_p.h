#pragma once

// The footprint rule of the Ledger's integration (docs/accounting.md, "Carbon, water and
// embodied carbon"; docs/footprint.md): each piece of an interval is charged carbon at the
// intensity in force in the host's zone (an interval is also cut where it changes), facility
// energy, on-site and off-site water, and its share of the host's embodied carbon.

#include "accounting/GridIntensities_p.h"
#include "accounting/LedgerConfig.h"
#include "accounting/LedgerState_p.h"

#include <QJsonObject>
#include <vector>

namespace greenpulse::core::ledgerfootprint {

// What holds for one interval of one host.
struct HostFactors
{
    GridIntensities *grid = nullptr;
    GridIntensities::Zone *zone = nullptr; // null: no zone, or one never heard of
    bool hasZone = false;                  // the host has a zone (known or not)
    TimeNs staleNs = 0;
    double pue = 1;
    double fallbackKgPerKwh = 0;
    double wue = 0;            // L per IT kWh
    double ewif = 0;           // L per facility kWh
    double embodiedKgPerS = 0; // the host's embodied carbon per second of its lifetime
};

// The carbon intensity of one piece.
struct PieceFactors
{
    double kgPerKwh = 0;
    bool stale = false;
    bool fallback = false;          // the constant: no zone, or no value yet
    const QString *label = nullptr; // "<source>@<zone>" or "constant"
};

// The zone of `host`: its samples' "zone", else the config's host-to-zone map, else
// --grid-zone; empty: none (the constant applies).
QString zoneOf(const LedgerConfig &cfg, const LedgerState::Host &host);
HostFactors factorsFor(LedgerState &state, const LedgerConfig &cfg, const LedgerState::Host &host);
// Adds the instants inside (t0, t1) where the zone's intensity changes or turns stale to `cuts`
// (kept sorted and unique).
void addCuts(const HostFactors &f, TimeNs t0, TimeNs t1, std::vector<TimeNs> &cuts);
// The intensity of the piece whose middle is `mid`; counts stale and fallback host-seconds.
PieceFactors pieceAt(const HostFactors &f, TimeNs mid, double seconds);
// Charges a job its share of one piece: `joules` (already its share) and `seconds` of the host
// held by `holders` jobs.
void charge(LedgerState::Job &job, const HostFactors &f, const PieceFactors &p, double joules,
            double seconds, double holders);
// The interval is integrated up to `t1`: a value stamped before it arrives late.
void finish(const HostFactors &f, TimeNs t1);

void save(const JobFootprint &fp, QJsonObject *job);
void load(const QJsonObject &job, JobFootprint *fp);
// The summary keys of a job's footprint (jobToJson).
void toJson(const JobSummary &job, QJsonObject *o);

} // namespace greenpulse::core::ledgerfootprint
