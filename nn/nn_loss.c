/* nn_loss: to be written. */
