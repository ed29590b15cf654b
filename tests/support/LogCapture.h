#pragma once

#include <QStringList>
#include <QtGlobal>
#include <algorithm>

namespace greenpulse::test {

// Collects the warnings and infos logged while it exists (and still prints them).
class LogCapture
{
public:
    LogCapture()
    {
        s_lines.clear();
        m_previous = qInstallMessageHandler(&LogCapture::handle);
        s_previous = m_previous;
    }
    ~LogCapture() { qInstallMessageHandler(m_previous); }
    static bool contains(const QString &needle) { return count(needle) > 0; }
    static int count(const QString &needle)
    {
        return static_cast<int>(std::count_if(
            s_lines.begin(), s_lines.end(), [&](const QString &l) { return l.contains(needle); }));
    }

private:
    static void handle(QtMsgType type, const QMessageLogContext &context, const QString &message)
    {
        s_lines.append(message);
        if (s_previous) {
            s_previous(type, context, message);
        }
    }
    static inline QStringList s_lines;
    static inline QtMessageHandler s_previous = nullptr;
    QtMessageHandler m_previous = nullptr;
};

} // namespace greenpulse::test
