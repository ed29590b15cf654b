#pragma once

// How fresh what the window shows is (docs/dashboard.md, "Freshness"), from one snapshot: each
// host's age (our clock: when its latest sample arrived, against when the snapshot was taken),
// the silent ones (older than the processor's --stale-after-s), and whether the processor is
// connected to the broker at all. Plain values; the header, the jobs table, the host list and the
// banner read it.

#include "pipeline/ProcessorSnapshot.h"

#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>

namespace greenpulse::app {

struct Freshness
{
    struct Host
    {
        QString name;
        double ageSeconds = 0;
        bool silent = false;
    };

    static Freshness of(const core::ProcessorSnapshot &snapshot);

    std::vector<Host> hosts;           // hosts with power, silent ones first (longest silent first)
    QHash<QString, double> silentAges; // silent host -> seconds since it was last heard
    int reporting = 0;                 // hosts with power heard within the bound
    int total = 0;                     // hosts with power
    double staleAfterSeconds = 0;
    bool connected = true;          // the processor is connected to the broker
    core::TimeNs frozenSinceNs = 0; // not connected: the last time it was (0: never)

    bool isSilent(const QString &host) const { return silentAges.contains(host); }
    // "21 hosts reporting", "20 of 21 reporting, gpu-05 silent for 65 s", "18 of 21 reporting,
    // 3 silent (gpu-05 for 65 s…)", "no host reporting".
    QString summary() const;
    // One line per host (at most `limit`, silent ones first): "gpu-05: silent for 65 s",
    // "gpu-01: 0.4 s ago".
    QString hostsToolTip(int limit = 20) const;
    // The silent ones among `hosts`, with their ages: "gpu-05 silent for 65 s" (empty: none).
    QString silentAmong(const QStringList &hosts) const;

    static QString age(double seconds); // "0.4 s", "65 s", "3 min 05 s"
};

} // namespace greenpulse::app
