#include "widgets/HeaderCards.h"

#include "pipeline/ProcessorSnapshot.h"
#include "protocol/JobId.h"
#include "runtime/Format.h"
#include "runtime/Freshness.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPainterPath>
#include <QVBoxLayout>
#include <algorithm>

namespace greenpulse::app {

Card::Card(const QString &caption, const QColor &accent, QWidget *parent)
    : QFrame(parent), m_accent(accent)
{
    m_caption = new QLabel(caption.toUpper(), this);
    m_value = new QLabel(QStringLiteral("–"), this);
    m_detail = new QLabel(this);
    m_value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_caption->setForegroundRole(QPalette::PlaceholderText);
    m_detail->setForegroundRole(QPalette::PlaceholderText);

    QFont captionFont = m_caption->font();
    captionFont.setPointSizeF(captionFont.pointSizeF() * 0.85);
    captionFont.setBold(true);
    captionFont.setLetterSpacing(QFont::PercentageSpacing, 108);
    m_caption->setFont(captionFont);
    QFont valueFont = m_value->font();
    valueFont.setPointSizeF(valueFont.pointSizeF() * 1.9);
    valueFont.setBold(true);
    m_value->setFont(valueFont);
    QFont detailFont = m_detail->font();
    detailFont.setPointSizeF(detailFont.pointSizeF() * 0.9);
    m_detail->setFont(detailFont);
    // A detail longer than the card is cut with "…" rather than pushing or clipping the card.
    m_detail->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(14, 10, 14, 10);
    layout->setSpacing(2);
    layout->addWidget(m_caption);
    layout->addWidget(m_value);
    layout->addWidget(m_detail);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void Card::paintEvent(QPaintEvent *event)
{
    // Painted from the palette at paint time (no style sheet), so the card follows a switch
    // between light and dark themes; the accent is a stripe on the left.
    Q_UNUSED(event)
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF frame = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    QPainterPath shape;
    shape.addRoundedRect(frame, 6, 6);
    painter.fillPath(shape, palette().color(QPalette::Base));
    painter.save();
    painter.setClipPath(shape);
    painter.fillRect(QRectF(frame.left(), frame.top(), 4, frame.height()), m_accent);
    painter.restore();
    painter.setPen(QPen(palette().color(QPalette::Mid), 1));
    painter.drawPath(shape);
}

void Card::setValue(const QString &value, const QString &detail)
{
    if (m_value->text() != value) {
        m_value->setText(value);
    }
    if (m_detailText != detail) {
        m_detailText = detail;
        showDetail();
    }
}

void Card::resizeEvent(QResizeEvent *event)
{
    QFrame::resizeEvent(event);
    showDetail();
}

void Card::showDetail()
{
    const QString shown =
        m_detail->fontMetrics().elidedText(m_detailText, Qt::ElideRight, m_detail->width());
    if (m_detail->text() != shown) {
        m_detail->setText(shown);
        m_detail->setToolTip(shown == m_detailText ? QString() : m_detailText);
    }
}

QString Card::value() const
{
    return m_value->text();
}

QString Card::detail() const
{
    return m_detailText;
}

bool Card::isLive() const
{
    return m_value->foregroundRole() != QPalette::PlaceholderText;
}

void Card::setLive(bool live)
{
    m_value->setForegroundRole(live ? QPalette::WindowText : QPalette::PlaceholderText);
}

HeaderCards::HeaderCards(QWidget *parent) : QWidget(parent)
{
    m_power = new Card(tr("Power now"), QColor(0xe8, 0x8b, 0x1a), this);
    m_energy = new Card(tr("Energy today"), QColor(0x3b, 0x82, 0xc4), this);
    m_carbon = new Card(tr("Carbon today"), QColor(0x6d, 0x6d, 0x6d), this);
    m_water = new Card(tr("Coolant circulated today"), QColor(0x1f, 0xa2, 0xb8), this);
    m_jobs = new Card(tr("Jobs running"), QColor(0x2e, 0xa0, 0x43), this);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(10);
    m_waterUsed = new Card(tr("Water consumed today"), QColor(0x15, 0x6f, 0x9e), this);
    for (Card *card : {m_power, m_energy, m_carbon, m_waterUsed, m_water, m_jobs}) {
        layout->addWidget(card);
    }
}

void HeaderCards::setSnapshot(const core::ProcessorSnapshot &s)
{
    setSnapshot(s, Freshness::of(s));
}

void HeaderCards::setSnapshot(const core::ProcessorSnapshot &s, const Freshness &f)
{
    // Power now counts only hosts heard from within the bound; while the processor has no broker
    // it is the last value seen, greyed, and says so (docs/dashboard.md, "Freshness").
    const bool frozen = !f.connected && s.mqttState != core::ConnectionState::Connecting;
    m_power->setValue(format::watts(s.powerNowWatts),
                      frozen ? (f.frozenSinceNs > 0 ? tr("frozen since %1: broker not connected")
                                                          .arg(format::localTime(f.frozenSinceNs))
                                                    : tr("broker not connected"))
                             : f.summary());
    m_power->setLive(!frozen && f.reporting > 0);
    m_power->setToolTip(f.hostsToolTip());
    setFootprint(s);
    int running = 0;
    QSet<QString> busyHosts;
    for (const core::JobSummary &job : s.jobs) {
        if (job.running && job.jobId != QLatin1String(core::jobid::kIdle)) {
            ++running;
            for (const QString &host : job.hosts) {
                busyHosts.insert(host);
            }
        }
    }
    m_jobs->setValue(QString::number(running),
                     running ? tr("on %n host(s)", nullptr, static_cast<int>(busyHosts.size()))
                             : tr("all hosts idle"));
}

void HeaderCards::setFootprint(const core::ProcessorSnapshot &s)
{
    // Today's figures as the processor charged them, each host at its zone's factors
    // (docs/dashboard.md, "Footprint"); the configured defaults are named on hover.
    const core::FootprintConfig &fp = s.config.footprint;
    const core::DayTotals &today = s.today;
    m_energy->setValue(format::kwh(today.kwh),
                       tr("IT %1 · facility %2 (PUE %3)")
                           .arg(format::kwh(today.kwh), format::kwh(today.facilityKwh),
                                format::number(s.config.pue, 2)));
    m_carbon->setValue(format::kgCo2e(today.co2eKg) + QStringLiteral(" CO₂e"), carbonCaption(s));
    m_carbon->setToolTip(
        today.embodiedKg > 0
            ? tr("Operational carbon today; embodied carbon of the hosts charged to jobs: %1")
                  .arg(format::kgCo2e(today.embodiedKg))
            : tr("Operational carbon today (facility kWh x grid intensity)"));
    const auto sensors = static_cast<int>(std::count_if(
        s.hosts.begin(), s.hosts.end(), [](const core::HostSummary &h) { return h.hasFlow; }));
    if (!s.hosts.empty() && sensors == 0 && today.liters <= 0) {
        m_water->setValue(tr("no sensor"), tr("no host reports coolant flow"));
    } else if (sensors < static_cast<int>(s.hosts.size())) {
        m_water->setValue(format::liters(today.liters),
                          tr("loop flow of %1 of %2 hosts (the others have no sensor)")
                              .arg(sensors)
                              .arg(s.hosts.size()));
    } else {
        m_water->setValue(format::liters(today.liters), tr("loop flow, not water consumed"));
    }
    const bool defaults = fp.wueLPerKwh == core::FootprintConfig::kUsAverageWueLPerKwh &&
                          fp.ewifLPerKwh == core::FootprintConfig::kUsAverageEwifLPerKwh &&
                          fp.zoneWue.isEmpty() && fp.zoneEwif.isEmpty();
    // The litres under the figure, the factors and their source on hover (the card stays narrow).
    const QString detail =
        tr("est. %1 on-site + %2 off-site")
            .arg(format::liters(today.waterOnsiteL), format::liters(today.waterOffsiteL));
    QString factors = tr("Estimate: on site IT kWh x WUE %1 L/kWh, off site facility kWh x EWIF "
                         "%2 L/kWh")
                          .arg(format::number(fp.wueLPerKwh, 2), format::number(fp.ewifLPerKwh, 2));
    if (defaults) {
        factors += tr(" (US averages, Li et al. 2023)");
    } else if (!fp.zoneWue.isEmpty() || !fp.zoneEwif.isEmpty()) {
        factors += tr("; zones with their own factors use those");
    }
    m_waterUsed->setToolTip(factors);
    m_waterUsed->setValue(format::liters(today.waterL()), detail);
}

QString HeaderCards::carbonCaption(const core::ProcessorSnapshot &s)
{
    // Mixed: today's jobs' carbon was charged at more than one intensity (grid zones, changing
    // values); else the one factor and where it came from. A job that ended before local
    // midnight is not in today's total and does not count here.
    const QDateTime taken = QDateTime::fromMSecsSinceEpoch(s.takenNs / 1'000'000);
    const core::TimeNs midnightNs =
        taken.date().startOfDay().toMSecsSinceEpoch() * core::TimeNs{1'000'000};
    double lo = 0;
    double hi = 0;
    bool any = false;
    QStringList sources;
    for (const core::JobSummary &job : s.jobs) {
        const core::JobFootprint &f = job.footprint;
        if (!f.hasIntensity || (s.takenNs > 0 && job.endNs != 0 && job.endNs < midnightNs)) {
            continue;
        }
        lo = any ? std::min(lo, f.minGPerKwh) : f.minGPerKwh;
        hi = any ? std::max(hi, f.maxGPerKwh) : f.maxGPerKwh;
        any = true;
        for (const QString &source : f.sources) {
            if (!sources.contains(source)) {
                sources << source;
            }
        }
    }
    if (any && hi > lo) {
        return tr("mixed factors, %1–%2 g/kWh").arg(format::number(lo, 0), format::number(hi, 0));
    }
    const double g = any ? lo : s.config.carbonKgPerKwh * 1000;
    const QString source = sources.size() == 1 ? sources.front() : QStringLiteral("constant");
    return tr("at %1 g/kWh (%2)").arg(format::number(g, 0), source);
}

} // namespace greenpulse::app
