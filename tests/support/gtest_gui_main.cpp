// gtest main for widget tests: a QApplication, offscreen unless a platform is given (the tests run
// by tests/scripts/run-in-xvfb.sh get xcb). gtest discovery runs without the tests' ENVIRONMENT.
#include "runtime/Resources.h"

#include <QApplication>
#include <gtest/gtest.h>

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    QApplication app(argc, argv);
    greenpulse::app::initResources();
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
