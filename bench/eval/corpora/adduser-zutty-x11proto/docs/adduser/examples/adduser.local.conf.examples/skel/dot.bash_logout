#########################################################################
#           ~/.bash_logout: Personal log-out script for Bash            #
#########################################################################

# [JNZ] Modified 21-Jun-2013

# This script file is sourced by bash(1) when the login shell terminates.
# By default, no action is taken.
#
# Written by John Zaitseff and released into the public domain.
