#include "widgets/HeaderCards.h"

#include "pipeline/ProcessorSnapshot.h"
#include "protocol/JobId.h"
#include "runtime/Format.h"
#include "runtime/Freshness.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPainterPath>
#include <QVBoxLayout>

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
    if (m_detail->text() != detail) {
        m_detail->setText(detail);
    }
}

QString Card::value() const
{
    return m_value->text();
}

QString Card::detail() const
{
    return m_detail->text();
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
    m_water = new Card(tr("Cooling water today"), QColor(0x1f, 0xa2, 0xb8), this);
    m_jobs = new Card(tr("Jobs running"), QColor(0x2e, 0xa0, 0x43), this);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(10);
    for (Card *card : {m_power, m_energy, m_carbon, m_water, m_jobs}) {
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
    m_energy->setValue(format::kwh(s.today.kwh),
                       tr("PUE %1 included").arg(format::number(s.config.pue, 2)));
    m_carbon->setValue(format::kgCo2e(s.today.co2eKg) + QStringLiteral(" CO₂e"),
                       tr("at %1 kg CO₂e/kWh").arg(format::number(s.config.carbonKgPerKwh, 3)));
    m_water->setValue(format::liters(s.today.liters), tr("since midnight"));
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

} // namespace greenpulse::app
