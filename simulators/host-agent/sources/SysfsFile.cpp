#include "SysfsFile.h"

#include <QDir>
#include <QFile>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace greenpulse::sim {

namespace {
bool inGroup(gid_t gid)
{
    if (::getegid() == gid) {
        return true;
    }
    const int count = ::getgroups(0, nullptr);
    std::vector<gid_t> groups(size_t(std::max(count, 0)));
    groups.resize(size_t(std::max(::getgroups(count, groups.data()), 0)));
    return std::find(groups.begin(), groups.end(), gid) != groups.end();
}
} // namespace

QString SysfsFile::path(const QString &root, const QString &absolutePath)
{
    if (root.isEmpty() || root == QLatin1String("/")) {
        return absolutePath;
    }
    QString base = root;
    while (base.endsWith(QLatin1Char('/'))) {
        base.chop(1);
    }
    return base + absolutePath;
}

QStringList SysfsFile::entries(const QString &dir, const QString &prefix)
{
    QStringList names =
        QDir(dir).entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::System, QDir::Name);
    names.removeIf([&](const QString &n) { return !n.startsWith(prefix); });
    return names;
}

std::optional<QByteArray> SysfsFile::readText(const QString &file, QString *error)
{
    // O_NONBLOCK: a FIFO or a device node in a broken tree must not hang the agent.
    const int fd = ::open(QFile::encodeName(file).constData(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        *error = QString::fromLocal8Bit(std::strerror(errno));
        return std::nullopt;
    }
    char buffer[256];
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    const int readErrno = errno;
    ::close(fd);
    if (n < 0) {
        *error = QString::fromLocal8Bit(std::strerror(readErrno));
        return std::nullopt;
    }
    const QByteArray text = QByteArray(buffer, n).trimmed();
    if (text.isEmpty()) {
        *error = QStringLiteral("empty");
        return std::nullopt;
    }
    return text;
}

std::optional<quint64> SysfsFile::readUnsigned(const QString &file, QString *error)
{
    const std::optional<QByteArray> text = readText(file, error);
    if (!text) {
        return std::nullopt;
    }
    bool ok = false;
    const quint64 value = text->toULongLong(&ok);
    if (!ok) {
        *error = QStringLiteral("not a number: \"%1\"").arg(QString::fromLatin1(text->left(40)));
        return std::nullopt;
    }
    return value;
}

QString SysfsFile::rootOnlyNote(const QString &file)
{
    struct stat st = {};
    if (::stat(QFile::encodeName(file).constData(), &st) != 0) {
        return {};
    }
    const QString mode = QStringLiteral("%1").arg(st.st_mode & 07777, 4, 8, QLatin1Char('0'));
    if (st.st_uid != 0 || (st.st_mode & S_IROTH) != 0) {
        return {};
    }
    if ((st.st_mode & S_IRGRP) == 0) {
        return QStringLiteral("mode %1 owner root: readable by root only (Linux 5.10 and later); "
                              "the greenpulse package's tmpfiles rule lets the greenpulse group "
                              "read it, or give the agent CAP_DAC_READ_SEARCH, see "
                              "docs/power-sources.md")
            .arg(mode);
    }
    // Opened to a group (e.g. by that rule) that this process is not in.
    if (inGroup(st.st_gid)) {
        return {};
    }
    const struct group *owner = ::getgrgid(st.st_gid);
    const QString name =
        owner ? QString::fromLocal8Bit(owner->gr_name) : QString::number(st.st_gid);
    return QStringLiteral("mode %1 owner root group %2: readable by root and group %2 only; run "
                          "the agent in group %2 (the packaged unit runs it as greenpulse), see "
                          "docs/power-sources.md")
        .arg(mode, name);
}

void EnergyCounter::feed(quint64 raw)
{
    if (!m_last) {
        m_last = raw;
        return;
    }
    if (raw >= *m_last) {
        m_total += raw - *m_last;
    } else if (m_range > 0 && *m_last <= m_range) {
        m_total += (m_range - *m_last) + raw; // wrapped once at the range
        ++m_wraps;
    } else {
        m_total += raw; // started again from 0: what it counted since is all we know
        ++m_resets;
    }
    m_last = raw;
}

} // namespace greenpulse::sim
