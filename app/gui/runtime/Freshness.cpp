#include "runtime/Freshness.h"

#include "runtime/Format.h"

#include <QCoreApplication>
#include <algorithm>

namespace greenpulse::app {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Freshness", text);
}

} // namespace

Freshness Freshness::of(const core::ProcessorSnapshot &s)
{
    Freshness f;
    f.staleAfterSeconds = s.staleAfterSeconds;
    f.connected = s.mqttState == core::ConnectionState::Connected;
    f.frozenSinceNs = f.connected ? 0 : s.mqttLastConnectedNs;
    for (const core::HostSummary &h : s.hosts) {
        if (!h.hasPower) {
            continue;
        }
        Host host;
        host.name = h.host;
        host.ageSeconds = std::max(0.0, static_cast<double>(s.takenNs - h.lastHeardNs) / 1e9);
        host.silent = s.staleAfterSeconds > 0 && host.ageSeconds > s.staleAfterSeconds;
        if (host.silent) {
            f.silentAges.insert(host.name, host.ageSeconds);
        } else {
            ++f.reporting;
        }
        f.hosts.push_back(std::move(host));
    }
    f.total = static_cast<int>(f.hosts.size());
    std::stable_sort(f.hosts.begin(), f.hosts.end(), [](const Host &a, const Host &b) {
        if (a.silent != b.silent) {
            return a.silent;
        }
        return a.silent && a.ageSeconds > b.ageSeconds;
    });
    return f;
}

QString Freshness::age(double seconds)
{
    if (seconds < 10) {
        return QStringLiteral("%1 s").arg(format::number(seconds, 1));
    }
    return format::duration(seconds);
}

QString Freshness::summary() const
{
    if (total == 0) {
        return tr("no host reporting");
    }
    if (silentAges.isEmpty()) {
        return total == 1 ? tr("1 host reporting") : tr("%1 hosts reporting").arg(total);
    }
    const Host &worst = hosts.front(); // the longest silent
    const QString counted = tr("%1 of %2 reporting").arg(reporting).arg(total);
    if (silentAges.size() == 1) {
        return tr("%1, %2 silent for %3").arg(counted, worst.name, age(worst.ageSeconds));
    }
    return tr("%1, %2 silent (%3 for %4…)")
        .arg(counted)
        .arg(silentAges.size())
        .arg(worst.name, age(worst.ageSeconds));
}

QString Freshness::hostsToolTip(int limit) const
{
    QStringList lines;
    lines << tr("Last heard (a host is silent after %1 s):")
                 .arg(format::number(staleAfterSeconds, 1));
    for (const Host &h : hosts) {
        if (lines.size() > limit) {
            lines << tr("… and %1 more").arg(static_cast<int>(hosts.size()) - limit);
            break;
        }
        lines << (h.silent ? tr("%1: silent for %2") : tr("%1: %2 ago"))
                     .arg(h.name, age(h.ageSeconds));
    }
    return lines.join(QLatin1Char('\n'));
}

QString Freshness::silentAmong(const QStringList &names) const
{
    QStringList silent;
    for (const QString &name : names) {
        const auto it = silentAges.constFind(name);
        if (it != silentAges.constEnd()) {
            silent << tr("%1 silent for %2").arg(name, age(it.value()));
        }
    }
    return silent.join(QStringLiteral(", "));
}

} // namespace greenpulse::app
