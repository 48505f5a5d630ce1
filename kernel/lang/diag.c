/* diag: to be written. */
