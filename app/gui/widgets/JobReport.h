#pragma once

#include "accounting/LedgerTypes.h"

#include <QColor>
#include <QPointF>
#include <QString>
#include <QStringList>
#include <QVector>
#include <optional>
#include <vector>

namespace greenpulse::core {
class SeriesStore;
struct ProcessorSnapshot;
} // namespace greenpulse::core

namespace greenpulse::app {

// A job's report (docs/dashboard.md, "Job report"): its totals as the ledger has them, the
// factors they were computed with and where those came from, its hosts with their power over the
// job's span (the charts' series), and every stretch of that span without data. A plain value,
// collected once on the GUI thread; JobReportRenderer paints it, JobReportWriter saves it.
struct JobReport
{
    // A stretch of the span without data: a host's gap in its power series, or (host empty) a
    // broker outage of the processor. Times in ms since the epoch.
    struct Span
    {
        QString host;
        double fromMs = 0;
        double toMs = 0;
        QString why;
        double seconds() const { return (toMs - fromMs) / 1000.0; }
    };
    struct Host
    {
        QString name;
        QColor color; // its look in the power chart (ChartPalette, as in the window)
        Qt::PenStyle penStyle = Qt::SolidLine;
        QString zone;       // its grid zone; empty: none (the constant intensity applies)
        QString zoneSource; // the zone's intensity source, "(stale)" appended when stale
        QStringList gpus;   // the devices the job held on it; empty: not known (the whole host)
        QVector<QVector<QPointF>> runs; // its watts in the span, one vector per continuous run
        int points = 0;
        double meanWatts = 0; // of its chart points in the span
        double peakWatts = 0;
        bool contributed = false; // some of its energy went to the job (JobSummary::hosts)
    };
    // A factor the job's figures were computed with: a CSV key, a label, its value and unit, and
    // where it came from.
    struct Factor
    {
        QString key;
        QString label;
        double value = 0;
        QString unit;
        QString source;
    };

    core::JobSummary job;
    double fromMs = 0; // the job's span; a running job's ends at the snapshot's time
    double toMs = 0;
    std::vector<Host> hosts; // those that contributed, then those only named by its start
    QVector<Span> gaps;      // every host's gaps, in time order
    QVector<Span> outages;   // broker outages overlapping the span
    QVector<Factor> factors;
    bool hasSeries = false;    // the chart series hold points of the span (a power curve)
    double maxGapSeconds = 0;  // the ledger's gap bound (--max-gap-s)
    QString followedProcessor; // whose ledger it is; empty: this dashboard's own processor
    core::TimeNs generatedNs = 0;

    // The charts' rule for a break in a line (SeriesRuns::split): shorter silences are not listed
    // as gaps (they count in coverage all the same).
    static constexpr double kMinGapMs = 3500;

    // The report of `jobId`, from `snapshot` and the chart series in `series`; `outages`: the
    // processor's broker outages (ChartsPanel::outages(); toMs 0 while still open). nullopt when
    // the snapshot has no such job.
    static std::optional<JobReport> collect(const core::ProcessorSnapshot &snapshot,
                                            const core::SeriesStore &series, const QString &jobId,
                                            const QVector<Span> &outages = {});

    QString title() const; // the job's name, else its id
    const Factor *factor(const QString &key) const;
    double gapSeconds() const; // summed over the listed gaps (host-seconds)
};

} // namespace greenpulse::app
