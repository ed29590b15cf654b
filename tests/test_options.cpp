#include <gtest/gtest.h>

TEST(Placeholder, test_options) { SUCCEED(); }
