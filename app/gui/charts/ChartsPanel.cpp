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
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace greenpulse::app {

namespace {
using core::serieskeys::Kind;
const QString kIdle = QLatin1String(core::jobid::kIdle);
constexpr int kMaxJobBands = 12;
} // namespace

ChartsPanel::ChartsPanel(const core::SeriesStore &store, QWidget *parent)
    : QWidget(parent), m_store(store)
{
    m_power = new TimeChart(tr("Power per host"), tr("W"), this);
    m_power->setEmptyText(tr("waiting for power samples"));
    m_power->setSecondaryUnit(tr("W, all hosts (dashed)")); // shown with more hosts than lines
    m_energy = new TimeChart(tr("Energy per job"), tr("kWh"), this);
    m_energy->setEmptyText(tr("no job in this window"));
    m_carbon = new TimeChart(tr("Carbon per job"), tr("kg CO₂e"), this);
    m_carbon->setEmptyText(tr("no job in this window"));
    m_water = new TimeChart(tr("Cooling water per job"), tr("L"), this);
    m_water->setEmptyText(tr("no job in this window"));
    m_coolant = new TimeChart(tr("Coolant loop per host"), tr("°C (solid)"), this);
    m_coolant->setSecondaryUnit(tr("L/min (dashed)"));
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

    auto *title = new QLabel(tr("Live"), this);
    QFont titleFont = title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.1);
    title->setFont(titleFont);
    auto *top = new QHBoxLayout;
    top->addWidget(title);
    top->addStretch();
    top->addWidget(new QLabel(tr("Window"), this));
    top->addWidget(m_windowBox);

    auto *grid = new QGridLayout;
    grid->setSpacing(8);
    grid->addWidget(m_power, 0, 0, 1, 2);
    grid->addWidget(m_coolant, 0, 2);
    grid->addWidget(m_energy, 1, 0);
    grid->addWidget(m_carbon, 1, 1);
    grid->addWidget(m_water, 1, 2);
    grid->setColumnStretch(0, 1);
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(2, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addLayout(grid, 1);

    m_timer.setInterval(33);
    connect(&m_timer, &QTimer::timeout, this, &ChartsPanel::onTimer);
    m_timer.start();
}

ChartsPanel::~ChartsPanel() = default;

QVector<int> ChartsPanel::windowChoicesSeconds()
{
    return {5 * 60, 15 * 60, 60 * 60, 6 * 60 * 60};
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
    for (const Collected &c : top) {
        lines.append({core::serieskeys::key(Kind::Power, c.name), c.name, c.points,
                      m_hostColors.colorFor(c.name)});
    }
    if (total > top.size()) {
        *note = tr("top %1 of %2 hosts").arg(top.size()).arg(total);
        // Every host together, on the right axis (its scale is the fleet's, not a host's).
        lines.append({QStringLiteral("power-total"),
                      tr("all %n hosts (right axis)", nullptr, total), m_powerTotal.points(fromMs),
                      ChartPalette::othersColor(), true, true});
    }
    return lines;
}

QVector<ChartLine> ChartsPanel::coolantLines(double fromMs, QString *note)
{
    // Temperature (solid, left axis) of the hottest hosts, and the flow of the same hosts
    // (dashed, right axis, same colour, listed once).
    int total = 0;
    const QVector<Collected> top = collect(Kind::Temp, fromMs, &total);
    QVector<ChartLine> lines;
    for (const Collected &c : top) {
        const QColor color = m_hostColors.colorFor(c.name);
        lines.append({core::serieskeys::key(Kind::Temp, c.name), c.name, c.points, color});
        const QString flowKey = core::serieskeys::key(Kind::Flow, c.name);
        lines.append({flowKey, c.name, m_store.copy(flowKey, fromMs), color, true, true, false});
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
        lines.append(
            {core::serieskeys::key(kind, c.name), label, c.points, m_jobColors.colorFor(c.name)});
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
        const double start = static_cast<double>(job.startNs / 1'000'000);
        const double end =
            job.running || job.endNs <= 0 ? toMs : static_cast<double>(job.endNs / 1'000'000);
        if (end < fromMs) {
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
    switch (chart) {
    case 0:
        m_powerTotal.update(m_store); // only the points appended since the last update
        m_power->setContent(fromMs, toMs, powerLines(fromMs, &note), jobBands(fromMs, toMs), note);
        break;
    case 1:
        m_coolant->setContent(fromMs, toMs, coolantLines(fromMs, &note), {}, note);
        break;
    case 2:
        m_energy->setContent(fromMs, toMs, jobLines(Kind::Kwh, fromMs, &note), {}, note);
        break;
    case 3:
        m_carbon->setContent(fromMs, toMs, jobLines(Kind::Co2e, fromMs, &note), {}, note);
        break;
    default:
        m_water->setContent(fromMs, toMs, jobLines(Kind::Liters, fromMs, &note), {}, note);
        break;
    }
}

} // namespace greenpulse::app
