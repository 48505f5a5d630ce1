/* lang: to be written. */
