/* nn_data: to be written. */
