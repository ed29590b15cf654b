#include "widgets/StatusBar.h"

#include "influx/InfluxStatus.h"
#include "pipeline/ProcessorSnapshot.h"

#include <QEvent>
#include <QJsonObject>
#include <QLabel>
#include <QLocale>
#include <algorithm>
#include <cmath>
#include <vector>

namespace greenpulse::app {

namespace {

// A coloured dot before the text: colour carries the state, the text says it.
QString dot(const QColor &color, const QString &text)
{
    return QStringLiteral("<span style=\"color:%1\">●</span>&nbsp;%2")
        .arg(color.name(), text.toHtmlEscaped());
}

const QColor kGood(0x2e, 0xa0, 0x43);
const QColor kWarn(0xe0, 0x9b, 0x1a);
const QColor kBad(0xd6, 0x3a, 0x3a);
const QColor kOff(0x9e, 0x9e, 0x9e);

// A host clock further than this from our receipt time is named in the status bar. Below it the
// offset is mostly network and queueing delay; the ledger's own bounds (--max-clock-ahead-s,
// --max-clock-behind-s) decide what is re-stamped.
constexpr double kClockNoticeSeconds = 2.0;
// Hosts listed in the clocks and power tooltips (then "… and N more").
constexpr int kToolTipHosts = 20;

QString stateText(core::ConnectionState state, const QString &error, QColor *color)
{
    switch (state) {
    case core::ConnectionState::Connected:
        *color = kGood;
        return QObject::tr("connected");
    case core::ConnectionState::Connecting:
        *color = kWarn;
        return QObject::tr("connecting…");
    case core::ConnectionState::Reconnecting:
        *color = kWarn;
        return error.isEmpty() ? QObject::tr("reconnecting…")
                               : QObject::tr("reconnecting (%1)").arg(error);
    case core::ConnectionState::Error:
        *color = kBad;
        return error.isEmpty() ? QObject::tr("error") : QObject::tr("error: %1").arg(error);
    case core::ConnectionState::Disconnected:
        break;
    }
    *color = kOff;
    return QObject::tr("disconnected");
}

} // namespace

StatusBar::StatusBar(QWidget *parent) : QStatusBar(parent)
{
    auto make = [this](const QString &tooltip) {
        auto *label = new QLabel(this);
        label->setTextFormat(Qt::RichText);
        label->setToolTip(tooltip);
        label->setContentsMargins(6, 0, 6, 0);
        // May shrink below its text (clipped; the tooltip has it all): eight fields must not
        // make the window wider than a 1280-pixel screen.
        label->setMinimumWidth(label->fontMetrics().averageCharWidth() * 4);
        return label;
    };
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("statusMessage"));
    m_message->setTextFormat(Qt::PlainText);
    m_message->setContentsMargins(4, 0, 4, 0);
    // What the indicators leave, never more: a long message is elided, not pushing them out.
    m_message->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_message->setMinimumWidth(m_message->fontMetrics().averageCharWidth() * 16);
    m_message->installEventFilter(this);
    addWidget(m_message, 1);
    m_messageTimer.setSingleShot(true);
    connect(&m_messageTimer, &QTimer::timeout, this, &StatusBar::clearMessage);

    m_mqtt = make(tr("MQTT broker connection of the processor (and of the job controls)"));
    m_influx = make(tr("InfluxDB writer"));
    // The two connections stay readable however much the other fields say.
    for (QLabel *label : {m_mqtt, m_influx}) {
        label->setMinimumWidth(label->fontMetrics().averageCharWidth() * 16);
    }
    m_rate = make(tr("MQTT messages processed per second"));
    m_rejected = make(tr("Messages rejected: invalid, out of order or from the future"));
    m_dropped = make(tr("MQTT publishes dropped because the pending queue overflowed"));
    addPermanentWidget(m_mqtt);
    addPermanentWidget(m_influx);
    addPermanentWidget(m_rate);
    addPermanentWidget(m_rejected);
    m_losses = make(tr("What was lost or not saved"));
    addPermanentWidget(m_dropped);
    addPermanentWidget(m_losses);
    m_clocks = make(tr("Host clocks against the processor's receipt time"));
    addPermanentWidget(m_clocks);
    m_power = make(tr("Where the hosts' power comes from"));
    addPermanentWidget(m_power);
    m_mqtt->setText(dot(kOff, tr("MQTT: starting…")));
    m_influx->setText(dot(kOff, tr("InfluxDB: –")));
}

void StatusBar::showMessage(const QString &text, int timeoutMs)
{
    m_messageText = text;
    m_message->setToolTip(text);
    elideMessage();
    if (timeoutMs > 0) {
        m_messageTimer.start(timeoutMs);
    } else {
        m_messageTimer.stop();
    }
}

void StatusBar::clearMessage()
{
    showMessage({});
}

bool StatusBar::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_message && event->type() == QEvent::Resize) {
        elideMessage();
    }
    return QStatusBar::eventFilter(watched, event);
}

void StatusBar::elideMessage()
{
    const int room = m_message->contentsRect().width();
    m_message->setText(m_message->fontMetrics().elidedText(m_messageText, Qt::ElideRight, room));
}

void StatusBar::setSnapshot(const core::ProcessorSnapshot &s)
{
    QColor color;
    QString text = tr("MQTT: %1").arg(stateText(s.mqttState, s.mqttError, &color));
    if (m_controlState != core::ConnectionState::Connected &&
        s.mqttState == core::ConnectionState::Connected) {
        QColor controlColor;
        text +=
            tr(" · job controls %1").arg(stateText(m_controlState, m_controlError, &controlColor));
        color = kWarn;
    }
    m_mqtt->setText(dot(color, text));
    m_mqtt->setToolTip(s.mqttError.isEmpty() ? tr("MQTT broker connection") : s.mqttError);

    const core::InfluxStatus &in = s.influx;
    const QLocale locale;
    switch (in.state) {
    case core::InfluxStatus::State::Off:
        m_influx->setText(dot(kOff, tr("InfluxDB: off")));
        break;
    case core::InfluxStatus::State::Writing:
        m_influx->setText(
            dot(kGood, tr("InfluxDB: writing (%1 points)").arg(locale.toString(in.pointsWritten))));
        break;
    case core::InfluxStatus::State::Spooling:
        m_influx->setText(
            dot(kWarn, tr("InfluxDB: spooling %1 points").arg(locale.toString(in.pointsQueued))));
        break;
    case core::InfluxStatus::State::AuthError:
        m_influx->setText(dot(kBad, tr("InfluxDB: authentication error")));
        break;
    case core::InfluxStatus::State::Viewing: // another process writes this database
        m_influx->setText(dot(kOff, tr("InfluxDB: %1 (%2 points not written)")
                                        .arg(in.writerNote, locale.toString(in.pointsNotWritten))));
        break;
    }
    m_influx->setToolTip(in.lastError.isEmpty() ? tr("InfluxDB writer") : in.lastError);

    m_rate->setText(tr("%1 msg/s").arg(locale.toString(s.messagesPerSecond, 'f', 1)));
    m_rejected->setText(tr("%1 rejected").arg(locale.toString(s.rejected)));
    QStringList reasons;
    for (auto it = s.rejectionsByReason.begin(); it != s.rejectionsByReason.end(); ++it) {
        reasons << QStringLiteral("%1: %2").arg(it.key()).arg(it.value().toInteger());
    }
    m_rejected->setToolTip(reasons.isEmpty() ? tr("No message rejected")
                                             : reasons.join(QLatin1Char('\n')));
    m_processorDropped = s.droppedPublishes;
    m_dropped->setText(
        tr("%1 dropped").arg(locale.toString(m_processorDropped + m_controlDropped)));
    setLosses(s);
    setClocks(s);
    setPowerSources(s);
}

void StatusBar::setLosses(const core::ProcessorSnapshot &s)
{
    const QLocale locale;
    quint64 missing = 0;
    quint64 skewed = 0;
    for (const core::HostSummary &h : s.hosts) {
        missing += h.missingSamples;
        skewed += h.clockSkewSamples;
    }
    QStringList lines;
    auto add = [&](quint64 count, const QString &what) {
        if (count > 0) {
            lines << QStringLiteral("%1: %2").arg(what, locale.toString(count));
        }
    };
    add(s.stateSaveFailures, tr("failed state file saves"));
    add(missing, tr("samples lost on the way (sequence gaps)"));
    add(skewed, tr("samples re-stamped (host clock out of bounds)"));
    add(s.influx.pointsDropped, tr("InfluxDB points dropped (spool full)"));
    add(s.influx.pointsRejected, tr("InfluxDB points refused by the server"));
    add(s.influx.pointsNotWritten, tr("InfluxDB points not written (viewing only)"));
    add(s.journalFailures, tr("control messages not journaled (lost in a crash before a save)"));
    add(s.reconciledEnds, tr("jobs ended after a restart from the broker's retained state"));
    if (!s.stateSaveError.isEmpty()) {
        m_losses->setText(dot(kBad, tr("state file not saved: %1").arg(s.stateSaveError)));
    } else if (s.journalFailures > 0) {
        m_losses->setText(dot(
            kBad, tr("%1 control messages not journaled").arg(locale.toString(s.journalFailures))));
    } else if (missing + s.influx.pointsDropped + s.influx.pointsRejected > 0) {
        m_losses->setText(
            dot(kWarn, tr("%1 lost").arg(locale.toString(missing + s.influx.pointsDropped +
                                                         s.influx.pointsRejected))));
    } else {
        m_losses->setText(dot(kGood, tr("nothing lost")));
    }
    m_losses->setToolTip(lines.isEmpty() ? tr("Nothing lost or unsaved")
                                         : lines.join(QLatin1Char('\n')));
}

void StatusBar::setClocks(const core::ProcessorSnapshot &s)
{
    std::vector<const core::HostSummary *> off;
    for (const core::HostSummary &h : s.hosts) {
        if (h.hasClockOffset && std::abs(h.clockOffsetSeconds) >= kClockNoticeSeconds) {
            off.push_back(&h);
        }
    }
    const QLocale locale;
    auto offset = [&locale](const core::HostSummary &h) {
        return QStringLiteral("%1%2 s").arg(h.clockOffsetSeconds > 0 ? QStringLiteral("+")
                                                                     : QString(),
                                            locale.toString(h.clockOffsetSeconds, 'f', 1));
    };
    if (off.empty()) {
        m_clocks->setText(dot(kGood, tr("clocks in sync")));
        m_clocks->setToolTip(
            tr("Every host's clock is within %1 s of the processor's").arg(kClockNoticeSeconds));
        return;
    }
    std::sort(off.begin(), off.end(), [](const auto *a, const auto *b) {
        return std::abs(a->clockOffsetSeconds) > std::abs(b->clockOffsetSeconds);
    });
    const bool restamped =
        std::any_of(off.begin(), off.end(), [](const auto *h) { return h->clockSkewSamples > 0; });
    const QString worst = QStringLiteral("%1 %2").arg(off.front()->host, offset(*off.front()));
    m_clocks->setText(dot(restamped ? kBad : kWarn,
                          off.size() == 1
                              ? tr("clock off: %1").arg(worst)
                              : tr("%1 host clocks off, worst %2").arg(off.size()).arg(worst)));
    QStringList lines{tr("Sample timestamp minus receipt time (samples re-stamped):")};
    for (std::size_t i = 0; i < off.size() && i < kToolTipHosts; ++i) {
        lines << QStringLiteral("%1: %2 (%3)")
                     .arg(off[i]->host, offset(*off[i]), locale.toString(off[i]->clockSkewSamples));
    }
    if (off.size() > kToolTipHosts) {
        lines << tr("… and %1 more").arg(off.size() - kToolTipHosts);
    }
    m_clocks->setToolTip(lines.join(QLatin1Char('\n')));
}

void StatusBar::setPowerSources(const core::ProcessorSnapshot &s)
{
    const QLocale locale;
    QStringList measuredBy;
    int measured = 0;
    int simulated = 0;
    int unknown = 0;
    QStringList lines;
    for (const core::HostSummary &h : s.hosts) {
        if (!h.hasPower) {
            continue;
        }
        const QStringList sources = h.powerSource.split(QLatin1Char(','), Qt::SkipEmptyParts);
        QString line;
        if (sources.isEmpty()) {
            ++unknown;
            line = tr("%1: source not reported").arg(h.host);
        } else if (sources.contains(QLatin1String("sim"))) {
            ++simulated;
            line = tr("%1: SIMULATED").arg(h.host);
        } else {
            ++measured;
            for (const QString &source : sources) {
                if (!measuredBy.contains(source)) {
                    measuredBy << source;
                }
            }
            QStringList parts;
            for (const core::PowerComponent &c : h.components) {
                parts << QStringLiteral("%1 %2 W").arg(c.name, locale.toString(c.watts, 'f', 1));
            }
            line = tr("%1: measured by %2%3")
                       .arg(h.host, sources.join(QStringLiteral(", ")),
                            h.hasEnergyCounter ? tr(" (energy counter)") : QString());
            if (!parts.isEmpty()) {
                line += QStringLiteral(": ") + parts.join(QStringLiteral(", "));
            }
        }
        if (lines.size() < kToolTipHosts) {
            lines << line;
        }
    }
    const int total = measured + simulated + unknown;
    if (total > kToolTipHosts) {
        lines << tr("… and %1 more").arg(total - kToolTipHosts);
    }
    measuredBy.sort();
    if (total == 0) {
        m_power->setText(dot(kOff, tr("no power yet")));
    } else if (simulated == total) {
        m_power->setText(dot(kWarn, tr("power SIMULATED")));
    } else if (simulated > 0) {
        m_power->setText(dot(kWarn, tr("%1 of %2 hosts simulated").arg(simulated).arg(total)));
    } else if (measured == total) {
        m_power->setText(
            dot(kGood, tr("power measured (%1)").arg(measuredBy.join(QStringLiteral(", ")))));
    } else if (measured > 0) {
        m_power->setText(dot(kOff, tr("%1 of %2 hosts measured").arg(measured).arg(total)));
    } else {
        m_power->setText(dot(kOff, tr("power source not reported")));
    }
    if (s.gpuEnergyClamped > 0) {
        // Nothing lost (the jobs still get the host's energy), but a host reading below its GPUs'
        // is not a node meter: the split between GPU jobs and the rest is then an estimate.
        m_power->setText(m_power->text() +
                         tr(" · GPUs above host ×%1").arg(locale.toString(s.gpuEnergyClamped)));
        lines.prepend(tr("%1 intervals in which the GPUs held by jobs drew more than their host's "
                         "total: their energy was scaled down to the host's (is the host's "
                         "reading a node meter?)")
                          .arg(locale.toString(s.gpuEnergyClamped)));
    }
    m_power->setToolTip(lines.isEmpty() ? tr("No host has sent power yet")
                                        : lines.join(QLatin1Char('\n')));
}

QString StatusBar::powerText() const
{
    return m_power->text();
}

QString StatusBar::powerToolTip() const
{
    return m_power->toolTip();
}

QString StatusBar::lossesText() const
{
    return m_losses->text();
}

QString StatusBar::lossesToolTip() const
{
    return m_losses->toolTip();
}

QString StatusBar::clocksText() const
{
    return m_clocks->text();
}

QString StatusBar::clocksToolTip() const
{
    return m_clocks->toolTip();
}

void StatusBar::setControlState(core::ConnectionState state, const QString &error, quint64 dropped)
{
    m_controlState = state;
    m_controlError = error;
    m_controlDropped = dropped;
}

QString StatusBar::mqttText() const
{
    return m_mqtt->text();
}

QString StatusBar::influxText() const
{
    return m_influx->text();
}

QString StatusBar::rateText() const
{
    return m_rate->text();
}

} // namespace greenpulse::app
