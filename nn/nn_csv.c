/* nn_csv: to be written. */
