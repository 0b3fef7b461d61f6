# Call-with-timeout helper (fork + pipe + deadline + kill/reap), used by hostres.
target_sources(concur_common PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/ctimeout.c)
