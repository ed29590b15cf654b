#include "ChartsPanel.h"

#include "Format.h"
#include "JobId.h"
#include "Processor.h"
#include "SeriesStore.h"
#include "TimeChart.h"

#include <QComboBox>
#include <QDateTime>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMap>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace greenpulse::app {

namespace {
const QString kIdle = QLatin1String(core::jobid::kIdle);
constexpr int kMaxJobBands = 12;
} // namespace

ChartsPanel::ChartsPanel(const core::SeriesStore &store, QWidget *parent)
    : QWidget(parent), m_store(store)
{
    m_power = new TimeChart(tr("Power per host"), tr("W"), this);
    m_power->setEmptyText(tr("waiting for power samples"));
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
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    // Redraw when the data changed; otherwise once a second so the time axis keeps moving.
    if (m_dirty || m_store.revision() != m_lastRevision || now - m_lastDrawMs >= 1000) {
        refresh();
    }
}

QVector<ChartsPanel::Collected> ChartsPanel::collect(const QString &prefix, double fromMs) const
{
    QVector<Collected> out;
    const QStringList keys = m_store.keys(prefix);
    for (const QString &key : keys) {
        Collected c;
        c.points = m_store.copy(key, fromMs);
        if (c.points.isEmpty()) {
            continue;
        }
        c.name = key.mid(prefix.size());
        c.latest = c.points.constLast().y();
        out.append(std::move(c));
    }
    // Largest first; ties by name so the order (and colours) stay put.
    std::sort(out.begin(), out.end(), [](const Collected &a, const Collected &b) {
        return a.latest != b.latest ? a.latest > b.latest : a.name < b.name;
    });
    return out;
}

QVector<ChartLine> ChartsPanel::hostLines(const QString &prefix, double fromMs, bool sumOthers,
                                          bool dashed, bool secondary, QString *note, bool inLegend)
{
    QVector<Collected> all = collect(prefix, fromMs);
    QVector<ChartLine> lines;
    const int shown = std::min(static_cast<int>(all.size()), m_maxSeries);
    for (int i = 0; i < shown; ++i) {
        const Collected &c = all.at(i);
        lines.append({prefix + c.name, c.name, c.points, m_hostColors.colorFor(c.name), dashed,
                      secondary, inLegend});
    }
    const int rest = static_cast<int>(all.size()) - shown;
    if (rest > 0) {
        *note = tr("top %1 of %2 hosts").arg(shown).arg(all.size());
        if (sumOthers) {
            // The other hosts, summed per second, as one line.
            QMap<qint64, double> sum;
            for (int i = shown; i < all.size(); ++i) {
                for (const QPointF &p : all.at(i).points) {
                    sum[static_cast<qint64>(std::floor(p.x() / 1000.0))] += p.y();
                }
            }
            QVector<QPointF> points;
            points.reserve(sum.size());
            for (auto it = sum.cbegin(); it != sum.cend(); ++it) {
                points.append(QPointF(static_cast<double>(it.key()) * 1000.0, it.value()));
            }
            lines.append({prefix + QStringLiteral("*others"),
                          tr("others (%n host(s), summed)", nullptr, rest), points,
                          ChartPalette::othersColor(), true, secondary, inLegend});
        }
    }
    return lines;
}

QVector<ChartLine> ChartsPanel::jobLines(const QString &prefix, double fromMs, QString *note)
{
    QVector<Collected> all = collect(prefix, fromMs);
    QVector<ChartLine> lines;
    QHash<QString, int> nameCount;
    for (const Collected &c : all) {
        nameCount[format::jobName(c.name)] += 1;
    }
    const int shown = std::min(static_cast<int>(all.size()), m_maxSeries);
    for (int i = 0; i < shown; ++i) {
        const Collected &c = all.at(i);
        if (c.name == kIdle) {
            lines.append({prefix + c.name, tr("idle (no job)"), c.points,
                          ChartPalette::othersColor(), true, false});
            continue;
        }
        QString label = format::jobName(c.name);
        if (nameCount.value(label) > 1) {
            label += QStringLiteral(" ·") + c.name.right(6);
        }
        lines.append(
            {prefix + c.name, label, c.points, m_jobColors.colorFor(c.name), false, false});
    }
    if (shown < all.size()) {
        *note = tr("top %1 of %2 jobs").arg(shown).arg(all.size());
    }
    return lines;
}

void ChartsPanel::refresh()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const double toMs = static_cast<double>(now);
    const double fromMs = toMs - m_windowSeconds * 1000.0;
    m_lastRevision = m_store.revision();
    m_lastDrawMs = now;
    m_dirty = false;
    ++m_redraws;

    // Job spans on the power chart: running and recent jobs that overlap the window.
    QVector<ChartBand> bands;
    if (m_snapshot) {
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
            bands.append({job.jobId, job.running ? tr("▶ %1").arg(name) : name,
                          std::max(start, fromMs), end, m_jobColors.colorFor(job.jobId)});
        }
        // The most recent ones if there are too many.
        std::sort(bands.begin(), bands.end(),
                  [](const ChartBand &a, const ChartBand &b) { return a.toMs > b.toMs; });
        if (bands.size() > kMaxJobBands) {
            bands.resize(kMaxJobBands);
        }
    }

    QString note;
    m_power->setContent(fromMs, toMs,
                        hostLines(QStringLiteral("power/"), fromMs, true, false, false, &note),
                        bands, note);
    note.clear();
    QVector<ChartLine> coolant =
        hostLines(QStringLiteral("temp/"), fromMs, false, false, false, &note);
    QString flowNote;
    // Flow in the host's colour, dashed, on the right axis; the legend lists each host once.
    coolant += hostLines(QStringLiteral("flow/"), fromMs, false, true, true, &flowNote, false);
    m_coolant->setContent(fromMs, toMs, coolant, {}, note);
    note.clear();
    m_energy->setContent(fromMs, toMs, jobLines(QStringLiteral("kwh/"), fromMs, &note), {}, note);
    note.clear();
    m_carbon->setContent(fromMs, toMs, jobLines(QStringLiteral("co2e/"), fromMs, &note), {}, note);
    note.clear();
    QVector<ChartLine> water = jobLines(QStringLiteral("liters/"), fromMs, &note);
    m_water->setContent(fromMs, toMs, water, {}, note);
}

} // namespace greenpulse::app
