#include "charts/ChartsPanel.h"

#include "charts/SeriesSum.h"
#include "charts/TimeChart.h"
#include "pipeline/ProcessorSnapshot.h"
#include "pipeline/SeriesStore.h"
#include "protocol/JobId.h"
#include "runtime/Format.h"
#include "runtime/JobNames.h"

#include <QComboBox>
#include <QDateTime>
#include <QGridLayout>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace greenpulse::app {

namespace {
using core::serieskeys::Kind;
const QString kIdle = QLatin1String(core::jobid::kIdle);
constexpr int kMaxJobBands = 12;
constexpr int kMaxOutages = 32;
} // namespace

ChartsPanel::ChartsPanel(const core::SeriesStore &store, QWidget *parent)
    : QWidget(parent), m_store(store)
{
    using format::Quantity;
    m_power = new TimeChart(tr("Power per host"), Quantity::Power, {}, {}, this);
    m_power->setEmptyText(tr("waiting for power samples"));
    m_power->setSecondaryAxis(Quantity::Power, {}, tr("others (dashed)")); // with > top N hosts
    m_energy = new TimeChart(tr("Energy per job"), Quantity::Energy, {}, {}, this);
    m_energy->setEmptyText(tr("no job in this window"));
    m_carbon = new TimeChart(tr("Carbon per job"), Quantity::Mass, {}, tr("CO₂e"), this);
    m_carbon->setEmptyText(tr("no job in this window"));
    m_water = new TimeChart(tr("Coolant circulated per job"), Quantity::Volume, {}, {}, this);
    m_water->setEmptyText(tr("no job in this window"));
    m_coolant =
        new TimeChart(tr("Coolant loop per host"), Quantity::Plain, tr("°C"), tr("(solid)"), this);
    m_coolant->setSecondaryAxis(Quantity::Plain, tr("L/min"), tr("(dashed)"));
    m_coolant->setZeroBased(false);
    m_coolant->setEmptyText(tr("waiting for flow/temperature samples"));

    m_windowBox = new QComboBox(this);
    for (int seconds : windowChoicesSeconds()) {
        m_windowBox->addItem(seconds < 3600 ? tr("Last %1 min").arg(seconds / 60)
                                            : tr("Last %1 h").arg(seconds / 3600),
                             seconds);
    }
    m_windowBox->setCurrentIndex(1);
    m_windowBox->setToolTip(tr("Time window shared by every chart"));
    connect(m_windowBox, &QComboBox::currentIndexChanged, this,
            [this](int index) { setWindowSeconds(m_windowBox->itemData(index).toInt()); });

    m_gridChartHeight = m_power->minimumHeight();
    m_body = new QWidget(this);
    m_grid = new QGridLayout(m_body);
    m_grid->setContentsMargins(0, 0, 0, 0);
    m_grid->setSpacing(8);
    for (int column = 0; column < 3; ++column) {
        m_grid->setColumnStretch(column, 1);
    }

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(titleRow());
    layout->addWidget(m_body, 1);
    layOut();

    m_timer.setInterval(33);
    connect(&m_timer, &QTimer::timeout, this, &ChartsPanel::onTimer);
    m_timer.start();
}

ChartsPanel::~ChartsPanel() = default;

QVector<int> ChartsPanel::windowChoicesSeconds()
{
    // The longest is as far back as the chart store keeps a quiet series.
    return {5 * 60, 15 * 60, 60 * 60, static_cast<int>(core::SeriesStore::kKeepMs / 1000)};
}

void ChartsPanel::setWindowSeconds(int seconds)
{
    if (seconds <= 0 || seconds == m_windowSeconds) {
        return;
    }
    m_windowSeconds = seconds;
    const int index = m_windowBox->findData(seconds);
    if (index >= 0 && index != m_windowBox->currentIndex()) {
        m_windowBox->setCurrentIndex(index);
    }
    m_dirty = true;
    emit windowChanged(seconds);
}

void ChartsPanel::setSnapshot(std::shared_ptr<const core::ProcessorSnapshot> snapshot)
{
    m_snapshot = std::move(snapshot);
    if (m_snapshot) {
        trackOutage(*m_snapshot);
        if (m_factors.update(*m_snapshot)) {
            QVector<ChartMark> marks;
            for (const FactorChanges::Change &change : m_factors.changes()) {
                marks.append({change.atMs, change.label});
            }
            m_carbon->setMarks(marks);
            m_dirty = true;
        }
    }
    applyEmphasis();
}

void ChartsPanel::trackOutage(const core::ProcessorSnapshot &snapshot)
{
    const bool connected = snapshot.mqttState == core::ConnectionState::Connected;
    const double nowMs = static_cast<double>(QDateTime::currentMSecsSinceEpoch());
    const bool open = !m_outages.isEmpty() && m_outages.constLast().toMs <= 0;
    if (connected) {
        m_everConnected = true;
        if (open) {
            m_outages.last().toMs = nowMs;
            m_dirty = true;
        }
    } else if (m_everConnected && !open) {
        // The first connection is not an outage; every loss after it is.
        m_outages.append({nowMs, 0});
        if (m_outages.size() > kMaxOutages) {
            m_outages.removeFirst();
        }
        m_dirty = true;
    }
}

QVector<ChartBand> ChartsPanel::outageBands(double fromMs, double toMs) const
{
    QVector<ChartBand> bands;
    for (const Outage &outage : m_outages) {
        const double end = outage.toMs > 0 ? outage.toMs : toMs;
        if (end >= fromMs) {
            bands.append({QStringLiteral("outage-%1").arg(outage.fromMs, 0, 'f', 0),
                          tr("no data: processor disconnected from the broker"),
                          std::max(outage.fromMs, fromMs), end, ChartPalette::othersColor(), true});
        }
    }
    return bands;
}

QVariantMap ChartsPanel::colors() const
{
    return {{QStringLiteral("hosts"), m_hostColors.assignments()},
            {QStringLiteral("jobs"), m_jobColors.assignments()}};
}

void ChartsPanel::restoreColors(const QVariantMap &colors)
{
    m_hostColors.restore(colors.value(QStringLiteral("hosts")).toMap());
    m_jobColors.restore(colors.value(QStringLiteral("jobs")).toMap());
    m_dirty = true;
}

void ChartsPanel::highlightJob(const QString &jobId)
{
    m_highlightJob = jobId;
    applyEmphasis();
}

void ChartsPanel::setFilterText(const QString &text)
{
    m_filterText = text.trimmed();
    applyEmphasis();
}

void ChartsPanel::applyEmphasis()
{
    QSet<QString> jobs;
    QSet<QString> hosts;
    if (m_snapshot && (!m_highlightJob.isEmpty() || !m_filterText.isEmpty())) {
        for (const core::JobSummary &job : m_snapshot->jobs) {
            // The filter matches as the jobs table's does: the id or one of the hosts.
            const bool chosen =
                m_highlightJob.isEmpty()
                    ? job.jobId.contains(m_filterText, Qt::CaseInsensitive) ||
                          !job.hosts.filter(m_filterText, Qt::CaseInsensitive).isEmpty() ||
                          job.targetHost.contains(m_filterText, Qt::CaseInsensitive)
                    : job.jobId == m_highlightJob;
            if (!chosen || job.jobId == kIdle) {
                continue;
            }
            jobs.insert(job.jobId);
            for (const QString &host : job.hosts + job.targetHosts) {
                hosts.insert(host);
            }
            if (!job.targetHost.isEmpty()) {
                hosts.insert(job.targetHost);
            }
        }
    }
    QSet<QString> power = jobs; // the job's span (band keys are job ids)
    QSet<QString> coolant;
    for (const QString &host : std::as_const(hosts)) {
        power.insert(core::serieskeys::key(Kind::Power, host));
        coolant.insert(core::serieskeys::key(Kind::Temp, host));
        coolant.insert(core::serieskeys::key(Kind::Flow, host));
    }
    auto jobKeys = [&jobs](Kind kind) {
        QSet<QString> keys;
        for (const QString &job : jobs) {
            keys.insert(core::serieskeys::key(kind, job));
        }
        return keys;
    };
    m_power->setEmphasis(power);
    m_coolant->setEmphasis(coolant);
    m_energy->setEmphasis(jobKeys(Kind::Kwh));
    m_carbon->setEmphasis(jobKeys(Kind::Co2e));
    m_water->setEmphasis(jobKeys(Kind::Liters));
}

void ChartsPanel::onTimer()
{
    // One chart per tick: a redraw of the five charts is spread over five ticks (165 ms), so no
    // single event holds the GUI thread for all of them.
    if (m_nextChart < kChartCount) {
        drawChart(m_nextChart++);
        return;
    }
    // Redraw when the data changed; otherwise once a second so the time axis keeps moving.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (m_dirty || m_store.revision() != m_lastRevision || now - m_lastDrawMs >= 1000) {
        startCycle();
        drawChart(m_nextChart++);
    }
}

QVector<ChartsPanel::Collected> ChartsPanel::collect(Kind kind, double fromMs, int *total) const
{
    const QString prefix = core::serieskeys::prefix(kind);
    // Rank by the newest point of each series (no copy of thousands of series), then copy only
    // the ones that are drawn.
    QVector<core::SeriesStore::Latest> ranked = m_store.latest(prefix);
    ranked.erase(std::remove_if(ranked.begin(), ranked.end(),
                                [fromMs](const auto &l) { return l.point.x() < fromMs; }),
                 ranked.end());
    // Largest first; ties by name so the order (and colours) stay put.
    auto larger = [](const core::SeriesStore::Latest &a, const core::SeriesStore::Latest &b) {
        return a.point.y() != b.point.y() ? a.point.y() > b.point.y() : a.key < b.key;
    };
    const int shown = std::min(static_cast<int>(ranked.size()), m_maxSeries);
    std::partial_sort(ranked.begin(), ranked.begin() + shown, ranked.end(), larger);
    *total = static_cast<int>(ranked.size());
    QVector<Collected> out;
    out.reserve(shown);
    for (int i = 0; i < shown; ++i) {
        Collected c;
        c.name = core::serieskeys::name(kind, ranked.at(i).key);
        c.points = m_store.copy(ranked.at(i).key, fromMs);
        c.latest = ranked.at(i).point.y();
        out.append(std::move(c));
    }
    return out;
}

QVector<ChartLine> ChartsPanel::powerLines(double fromMs, QString *note)
{
    int total = 0;
    const QVector<Collected> top = collect(Kind::Power, fromMs, &total);
    QVector<ChartLine> lines;
    QVector<QVector<QPointF>> drawn;
    for (const Collected &c : top) {
        const SeriesStyle style = m_hostColors.styleFor(c.name);
        ChartLine line{core::serieskeys::key(Kind::Power, c.name), c.name, c.points, style.color};
        line.penStyle = style.penStyle;
        lines.append(std::move(line));
        drawn.append(c.points);
    }
    // Past the store's bound on series (as with 10,000 hosts), hosts without a series of their
    // own are in neither the ranking nor "others": the title and the label say so.
    const int reporting = m_snapshot ? static_cast<int>(m_snapshot->hosts.size()) : 0;
    const bool partial = m_store.droppedSeries() > 0 && reporting > total;
    if (partial) {
        *note = tr("top %1 of %2 charted hosts (%3 reporting; the charts keep %4 series)")
                    .arg(top.size())
                    .arg(total)
                    .arg(reporting)
                    .arg(m_store.maxSeries());
    } else if (total > top.size()) {
        *note = tr("top %1 of %2 hosts").arg(top.size()).arg(total);
    }
    if (total > top.size()) {
        // Every other host together, on the right axis (its scale is the fleet's, not a host's).
        const int rest = total - static_cast<int>(top.size());
        const QString hosts =
            partial ? (rest == 1 ? tr("1 charted host") : tr("%1 charted hosts").arg(rest))
                    : (rest == 1 ? tr("1 host") : tr("%1 hosts").arg(rest));
        lines.append({QStringLiteral("power-others"), tr("others: %1, right axis").arg(hosts),
                      SeriesSum::minus(m_powerTotal.points(fromMs), drawn),
                      ChartPalette::othersColor(), true, true});
    }
    return lines;
}

QVector<ChartLine> ChartsPanel::coolantLines(double fromMs, QString *note)
{
    // Temperature (left axis) of the hottest hosts, and the flow of the same hosts (dashed, right
    // axis, same colour, listed once).
    int total = 0;
    const QVector<Collected> top = collect(Kind::Temp, fromMs, &total);
    QVector<ChartLine> lines;
    for (const Collected &c : top) {
        const SeriesStyle style = m_hostColors.styleFor(c.name);
        ChartLine temp{core::serieskeys::key(Kind::Temp, c.name), c.name, c.points, style.color};
        temp.penStyle = style.penStyle;
        lines.append(std::move(temp));
        const QString flowKey = core::serieskeys::key(Kind::Flow, c.name);
        lines.append(
            {flowKey, c.name, m_store.copy(flowKey, fromMs), style.color, true, true, false});
    }
    if (total > top.size()) {
        *note = tr("top %1 of %2 hosts").arg(top.size()).arg(total);
    }
    return lines;
}

QVector<ChartLine> ChartsPanel::jobLines(Kind kind, double fromMs, QString *note)
{
    int total = 0;
    const QVector<Collected> top = collect(kind, fromMs, &total);
    QHash<QString, int> nameCount;
    for (const Collected &c : top) {
        nameCount[format::jobName(c.name)] += 1;
    }
    QVector<ChartLine> lines;
    for (const Collected &c : top) {
        if (c.name == kIdle) {
            lines.append({core::serieskeys::key(kind, c.name), idleJobName(), c.points,
                          ChartPalette::othersColor(), true, false});
            continue;
        }
        QString label = format::jobName(c.name);
        if (nameCount.value(label) > 1) {
            label += QStringLiteral(" ·") + c.name.right(6);
        }
        const SeriesStyle style = m_jobColors.styleFor(c.name);
        ChartLine line{core::serieskeys::key(kind, c.name), label, c.points, style.color};
        line.penStyle = style.penStyle;
        lines.append(std::move(line));
    }
    if (total > top.size()) {
        *note = tr("top %1 of %2 jobs").arg(top.size()).arg(total);
    }
    return lines;
}

void ChartsPanel::refresh()
{
    startCycle();
    while (m_nextChart < kChartCount) {
        drawChart(m_nextChart++);
    }
}

void ChartsPanel::startCycle()
{
    m_lastRevision = m_store.revision();
    m_lastDrawMs = QDateTime::currentMSecsSinceEpoch();
    m_dirty = false;
    m_nextChart = 0;
    ++m_redraws;
}

QVector<ChartBand> ChartsPanel::jobBands(double fromMs, double toMs)
{
    // Running and recent jobs that overlap the window; the most recent ones if there are many.
    QVector<ChartBand> bands;
    if (!m_snapshot) {
        return bands;
    }
    for (const core::JobSummary &job : m_snapshot->jobs) {
        if (job.jobId == kIdle || job.startNs <= 0) {
            continue;
        }
        // Only where the job's series have points: a job the ledger remembers from before a
        // restart, with no history back-filled, has no span over the empty charts.
        const double first = m_store.firstX(core::serieskeys::key(Kind::Kwh, job.jobId));
        if (!std::isfinite(first)) {
            continue;
        }
        const double start = std::max(static_cast<double>(job.startNs / 1'000'000), first);
        const double end =
            job.running || job.endNs <= 0 ? toMs : static_cast<double>(job.endNs / 1'000'000);
        if (end < fromMs || end < start) {
            continue;
        }
        const QString name = format::jobName(job.jobId);
        bands.append({job.jobId, job.running ? tr("▶ %1").arg(name) : name, std::max(start, fromMs),
                      end, m_jobColors.colorFor(job.jobId)});
    }
    std::sort(bands.begin(), bands.end(),
              [](const ChartBand &a, const ChartBand &b) { return a.toMs > b.toMs; });
    if (bands.size() > kMaxJobBands) {
        bands.resize(kMaxJobBands);
    }
    return bands;
}

void ChartsPanel::drawChart(int chart)
{
    const double toMs = static_cast<double>(QDateTime::currentMSecsSinceEpoch());
    const double fromMs = toMs - m_windowSeconds * 1000.0;
    ++m_chartDraws;
    QString note;
    const QVector<ChartBand> outages = outageBands(fromMs, toMs);
    switch (chart) {
    case 0:
        m_powerTotal.update(m_store); // only the points appended since the last update
        m_power->setContent(fromMs, toMs, powerLines(fromMs, &note),
                            jobBands(fromMs, toMs) + outages, note);
        break;
    case 1:
        m_coolant->setContent(fromMs, toMs, coolantLines(fromMs, &note), outages, note);
        break;
    case 2:
        m_energy->setContent(fromMs, toMs, jobLines(Kind::Kwh, fromMs, &note), outages, note);
        break;
    case 3:
        m_carbon->setContent(fromMs, toMs, jobLines(Kind::Co2e, fromMs, &note), outages, note);
        break;
    default:
        m_water->setContent(fromMs, toMs, jobLines(Kind::Liters, fromMs, &note), outages, note);
        break;
    }
}

} // namespace greenpulse::app
