#pragma once

#include <QCoreApplication>
#include <QHash>
#include <QString>
#include <QVector>

namespace greenpulse::core {
struct ProcessorSnapshot;
} // namespace greenpulse::core

namespace greenpulse::app {

// When the carbon intensity in force changed, for the carbon chart's marks (issue: a total made
// at several factors shows "mixed factors" in its caption, and the chart shows where they
// changed). Followed from the snapshots: each grid zone's newest value (from the time it holds,
// ZoneSummary::fromNs) and the constant --carbon-intensity (from the snapshot that first shows
// it). The first value seen of each is no change; at most kMaxChanges are kept, newest last.
class FactorChanges
{
    Q_DECLARE_TR_FUNCTIONS(FactorChanges)
public:
    static constexpr int kMaxChanges = 16;

    struct Change
    {
        double atMs = 0;
        QString label; // "312 → 450 g/kWh", with "<zone>: " (or "constant: ") when zones exist
    };

    // True when a change was added.
    bool update(const core::ProcessorSnapshot &snapshot);
    const QVector<Change> &changes() const { return m_changes; }

private:
    void add(double atMs, const QString &name, double before, double after, bool named);

    QHash<QString, double> m_inForce; // zone ("" for the constant) -> g/kWh
    QVector<Change> m_changes;
    quint64 m_added = 0;
};

} // namespace greenpulse::app
